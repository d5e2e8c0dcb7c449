using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Kansoku.Storage.Logs;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// <c>GET /loki/api/v1/query_range</c> against Kansoku's server (or Loki). Errors come back as plain text with a 4xx
/// status, which is shown as the server wrote it.
/// </summary>
internal sealed class LokiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;

    public LokiClient(string server)
    {
        _server = server.TrimEnd('/');
        if (!Uri.TryCreate(_server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw LogsException.Usage($"--server: '{server}' is not an http:// or https:// URL");
        }
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("kansoku-logs", VersionCommand.Version.Split('+')[0]));
    }

    public string Server => _server;

    /// <summary>Entries in [<paramref name="start"/>, <paramref name="end"/>) (Unix ns), at most <paramref name="limit"/>,
    /// sorted by time in <paramref name="direction"/>; entries of the same time keep the server's order.</summary>
    public async Task<List<LogLine>> QueryRangeAsync(string query, long start, long end, int limit, LogDirection direction,
        CancellationToken cancellationToken)
    {
        var url = new StringBuilder(_server).Append("/loki/api/v1/query_range?query=").Append(Uri.EscapeDataString(query))
            .Append(CultureInfo.InvariantCulture, $"&start={start}&end={end}&limit={limit}")
            .Append("&direction=").Append(direction == LogDirection.Forward ? "forward" : "backward")
            .ToString();
        byte[] body;
        System.Net.HttpStatusCode status;
        try
        {
            using var response = await _http.GetAsync(url, cancellationToken);
            status = response.StatusCode;
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new LogsException($"cannot reach {_server}: {e.Message}") { Transient = true };
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LogsException($"{_server} did not answer in {_http.Timeout.TotalSeconds:0} s", e) { Transient = true };
        }
        if ((int)status >= 400)
        {
            var text = Encoding.UTF8.GetString(body).Trim();
            throw new LogsException($"{_server} answered {(int)status} {status}: {text}") { Transient = (int)status >= 500 };
        }
        var lines = LokiResponse.ReadStreams(body);
        SortByTime(lines, direction);
        return lines;
    }

    private static void SortByTime(List<LogLine> lines, LogDirection direction)
    {
        var keyed = new (long Time, int Order)[lines.Count];
        var sign = direction == LogDirection.Forward ? 1 : -1;
        for (var i = 0; i < keyed.Length; i++)
        {
            keyed[i] = (lines[i].TimeUnixNano * sign, i);
        }
        var sorted = lines.ToArray();
        // The order index breaks ties, so the sort is stable.
        Array.Sort(keyed, sorted);
        lines.Clear();
        lines.AddRange(sorted);
    }

    public void Dispose() => _http.Dispose();
}
