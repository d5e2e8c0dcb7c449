using System.Globalization;
using Kansoku.Agent.Config;

namespace Kansoku.Agent.Outputs.Http;

/// <summary>Connection settings shared by the HTTP outputs, read with Fluent Bit's key names.</summary>
internal sealed record HttpTransportOptions(
    Uri Endpoint,
    string? User,
    string? Password,
    string? BearerToken,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    bool Gzip,
    bool VerifyTls,
    TimeSpan ConnectTimeout,
    TimeSpan RequestTimeout)
{
    /// <summary>
    /// The target: Kansoku's <c>url</c> key (a full URL; <paramref name="completePath"/> may add the API path to a
    /// bare base URL), else Fluent Bit's <c>tls</c>, <c>host</c> (default 127.0.0.1), <c>port</c> and
    /// <paramref name="path"/>.
    /// </summary>
    public static HttpTransportOptions FromSpec(ComponentSpec spec, int defaultPort, string path, Func<string, string> completePath,
        IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        Uri endpoint;
        if (spec.Find("url") is { } url)
        {
            if (!Uri.TryCreate(url.Value.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                throw new ConfigException(url.Location, url.Key, $"expected an http:// or https:// URL, got '{url.Value}'");
            }
            endpoint = new UriBuilder(parsed) { Path = completePath(parsed.AbsolutePath) }.Uri;
            spec.MarkUsed("host");
            spec.MarkUsed("port");
        }
        else
        {
            var tls = spec.GetBool("tls", false);
            var host = spec.Get("host") ?? "127.0.0.1";
            var port = spec.GetInt64("port", defaultPort);
            if (port is <= 0 or > 65535)
            {
                throw new ConfigException(spec.Find("port")!.Location, "port", $"expected a TCP port, got {port}");
            }
            endpoint = new UriBuilder(tls ? "https" : "http", host, (int)port, path).Uri;
        }
        spec.MarkUsed("tls");

        var user = spec.Get("http_user");
        var password = spec.Get("http_passwd");
        if (user is null && !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            var parts = endpoint.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in spec.FindAll("header"))
        {
            var text = header.Value.Trim();
            var space = text.IndexOfAny([' ', '\t']);
            if (space <= 0)
            {
                throw new ConfigException(header.Location, header.Key, $"expected 'Name value', got '{header.Value}'");
            }
            headers.Add(new(text[..space], text[(space + 1)..].Trim()));
        }
        if (extraHeaders is not null)
        {
            headers.AddRange(extraHeaders);
        }

        var compress = spec.Find("compress");
        var gzip = compress?.Value.Trim().ToLowerInvariant() switch
        {
            null or "" or "none" or "off" => false,
            "gzip" => true,
            _ => throw new ConfigException(compress.Location, compress.Key, $"supported: gzip, got '{compress.Value}'"),
        };

        return new HttpTransportOptions(
            endpoint,
            user,
            password,
            spec.Get("bearer_token"),
            headers,
            gzip,
            spec.GetBool("tls.verify", true),
            spec.GetDuration("net.connect_timeout", TimeSpan.FromSeconds(10)),
            spec.GetDuration("http_timeout", TimeSpan.FromSeconds(60)));
    }

    public override string ToString() => Endpoint.GetLeftPart(UriPartial.Path).ToString(CultureInfo.InvariantCulture);
}
