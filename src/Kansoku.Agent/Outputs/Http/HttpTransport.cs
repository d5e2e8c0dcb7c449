using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kansoku.Agent.Outputs.Batching;

namespace Kansoku.Agent.Outputs.Http;

/// <summary>One output's HTTP client: a single pooled SocketsHttpHandler, auth and headers set once.</summary>
internal sealed class HttpTransport : IDisposable
{
    private readonly HttpClient _client;
    private readonly HttpTransportOptions _options;
    private readonly TimeProvider _time;

    public HttpTransport(HttpTransportOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            // Re-resolve DNS now and then: Services and Loki/ES pods move.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
        };
        if (!options.VerifyTls)
        {
            // tls.verify Off was asked for explicitly (self-signed in-cluster certificates).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        _client = new HttpClient(handler) { Timeout = options.RequestTimeout };
        if (options.User is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}"));
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
        else if (options.BearerToken is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.BearerToken);
        }
        foreach (var header in options.Headers)
        {
            _client.DefaultRequestHeaders.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    public Uri Endpoint => _options.Endpoint;

    public async Task<HttpReply> PostAsync(ReadOnlyMemory<byte> body, string contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint);
        HttpContent content;
        if (_options.Gzip)
        {
            var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(body, cancellationToken);
            }
            content = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ReadOnlyMemoryContent(body);
        }
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Content = content;
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var responseBody = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new HttpReply((int)response.StatusCode, responseBody, RetryAfter(response));
    }

    /// <summary>
    /// The verdict on a failed reply. Only 400, 413 and 422 say the data itself will never be accepted, so only they
    /// drop the batch (counted). Everything else is retried: 408, 429 and 5xx are transient, and 401, 403, 404 mean a
    /// wrong credential or URL that an operator will fix, after which the buffered records must still arrive.
    /// </summary>
    public static SendResult Classify(HttpReply reply)
    {
        var reason = $"HTTP {reply.Status}: {Excerpt(reply.Body)}";
        return reply.Status is 400 or 413 or 422
            ? SendResult.Reject(reason)
            : SendResult.RetryAll(reason, reply.RetryAfter);
    }

    public static string Excerpt(byte[] body)
    {
        const int Limit = 512;
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, Limit)).ReplaceLineEndings(" ");
        return body.Length > Limit ? text + "…" : text;
    }

    public void Dispose() => _client.Dispose();

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
