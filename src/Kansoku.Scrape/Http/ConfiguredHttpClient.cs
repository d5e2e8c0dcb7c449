using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kansoku.Scrape.Config;

namespace Kansoku.Scrape.Http;

/// <summary>
/// An HttpClient set up from a Prometheus <c>http_client_config</c> (basic_auth, authorization / bearer token, tls_config,
/// follow_redirects, proxy_url), shared by a scrape pool's targets and by remote write. Credential files are read at
/// every request, as Prometheus does, so a rotated service-account token is picked up.
/// </summary>
internal static class ConfiguredHttpClient
{
    public static HttpClient Create(HttpClientConfig config, string userAgent)
    {
        var client = new HttpClient(CreateHandler(config), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        if (!config.EnableHttp2)
        {
            client.DefaultRequestVersion = HttpVersion.Version11;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        return client;
    }

    /// <summary>The handler chain alone (credentials, then TLS, proxy and redirects), for clients that set up their own HttpClient.</summary>
    public static HttpMessageHandler CreateHandler(HttpClientConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip,
            AllowAutoRedirect = config.FollowRedirects,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        if (config.ProxyUrl is { } proxy)
        {
            handler.Proxy = new WebProxy(new Uri(proxy));
            handler.UseProxy = true;
        }
        else
        {
            handler.UseProxy = false;
        }
        ConfigureTls(handler.SslOptions, config.Tls);
        return new AuthorizationHandler(config) { InnerHandler = handler };
    }

    private static void ConfigureTls(SslClientAuthenticationOptions ssl, TlsConfig tls)
    {
        ssl.EnabledSslProtocols = Protocols(tls.MinVersion, tls.MaxVersion);
        if (tls.CertFile is not null || tls.Cert is not null)
        {
            var cert = tls.Cert ?? File.ReadAllText(tls.CertFile!);
            var key = tls.Key ?? (tls.KeyFile is null ? null : File.ReadAllText(tls.KeyFile));
            ssl.ClientCertificates = [X509Certificate2.CreateFromPem(cert, key)];
        }
        X509Certificate2Collection? roots = null;
        if (tls.CaFile is not null || tls.Ca is not null)
        {
            roots = [];
            roots.ImportFromPem(tls.Ca ?? File.ReadAllText(tls.CaFile!));
        }
        if (tls.InsecureSkipVerify)
        {
            // insecure_skip_verify: the user asked for it in the configuration, as Prometheus allows.
#pragma warning disable CA5359
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (roots is not null || tls.ServerName is not null)
        {
            var serverName = tls.ServerName;
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is X509Certificate2 leaf && Trusted(leaf, roots, serverName, errors);
        }
    }

    /// <summary>The chain checked against the configured CA (or the system's), the name against server_name when set.</summary>
    private static bool Trusted(X509Certificate2 leaf, X509Certificate2Collection? roots, string? serverName, SslPolicyErrors errors)
    {
        var nameMatches = serverName is null
            ? (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
            : leaf.MatchesHostname(serverName);
        if (!nameMatches)
        {
            return false;
        }
        if (roots is null)
        {
            return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static SslProtocols Protocols(string? min, string? max)
    {
        SslProtocols[] ordered = [SslProtocols.Tls12, SslProtocols.Tls13];
        var from = min is "TLS13" ? 1 : 0;
        var to = max is "TLS12" ? 0 : 1;
        var protocols = SslProtocols.None;
        for (var i = from; i <= to; i++)
        {
            protocols |= ordered[i];
        }
        return protocols == SslProtocols.None ? SslProtocols.Tls12 | SslProtocols.Tls13 : protocols;
    }

    private sealed class AuthorizationHandler(HttpClientConfig config) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (config.BasicAuth is { } basic)
            {
                var password = basic.ReadPassword();
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.Username}:{password}")));
            }
            else if (config.Authorization is { } authorization)
            {
                var credentials = authorization.ReadCredentials() ?? "";
                request.Headers.Authorization = new AuthenticationHeaderValue(authorization.Type, credentials);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
