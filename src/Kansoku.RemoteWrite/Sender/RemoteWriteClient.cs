using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Kansoku.RemoteWrite.Sender;

/// <summary>
/// Posts one compressed WriteRequest the way Prometheus' remote client does (storage/remote/client.go): snappy
/// Content-Encoding, protobuf Content-Type, X-Prometheus-Remote-Write-Version 0.1.0, the configured headers and
/// credentials, and the answer classified into sent, retry (with the server's Retry-After) or give up.
/// </summary>
internal sealed class RemoteWriteClient : IDisposable
{
    /// <summary>How much of an error body ends up in the error (Prometheus' maxErrMsgLen).</summary>
    private const int MaxErrorBytes = 1024;

    private static readonly MediaTypeHeaderValue s_protobuf = new("application/x-protobuf");

    private readonly HttpClient _http;
    private readonly RemoteWriteOptions _options;
    private readonly TimeProvider _time;
    private readonly AuthenticationHeaderValue? _authorization;

    public RemoteWriteClient(RemoteWriteOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var handler = options.CreateHttpHandler?.Invoke() ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (options.BasicAuth is { } basic)
        {
            _authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.Username}:{basic.Password}")));
        }
        else if (options.BearerToken is { } token)
        {
            _authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public async Task<SendOutcome> SendAsync(ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url);
        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        // Set after the configured headers so that none of them can replace what the protocol needs.
        request.Headers.Remove("X-Prometheus-Remote-Write-Version");
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        request.Headers.UserAgent.ParseAdd("Kansoku-remote-write/1.0");
        if (_authorization is not null)
        {
            request.Headers.Authorization = _authorization;
        }
        request.Content = new ReadOnlyMemoryContent(compressed);
        request.Content.Headers.ContentType = s_protobuf;
        request.Content.Headers.ContentEncoding.Add("snappy");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RemoteTimeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return SendOutcome.Sent;
            }
            var error = $"server returned HTTP status {(int)response.StatusCode} {response.ReasonPhrase}: "
                + await FirstLineAsync(response, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status >= 500 || (status == (int)HttpStatusCode.TooManyRequests && _options.RetryOnRateLimit))
            {
                return SendOutcome.Retry(error, RetryAfter(response.Headers.RetryAfter));
            }
            return SendOutcome.Fail(error);
        }
        catch (HttpRequestException e)
        {
            return SendOutcome.Retry(e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.Retry($"no answer within remote_timeout {_options.RemoteTimeout}");
        }
    }

    /// <summary>The server's wait: seconds or an HTTP date; null when absent or already past, so the backoff applies.</summary>
    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow(),
            _ => TimeSpan.Zero,
        };
        return wait > TimeSpan.Zero ? wait : null;
    }

    private static async Task<string> FirstLineAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxErrorBytes];
        var length = 0;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            int read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }
        var text = Encoding.UTF8.GetString(buffer, 0, length);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }

    public void Dispose() => _http.Dispose();
}
