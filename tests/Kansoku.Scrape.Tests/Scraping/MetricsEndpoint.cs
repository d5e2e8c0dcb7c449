using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kansoku.Scrape.Tests.Scraping;

/// <summary>A scrape target on 127.0.0.1 that serves whatever body the test sets, the way an exporter would.</summary>
internal sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public MetricsEndpoint()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/metrics");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public volatile string Body = "";

    public volatile string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public volatile int Status = 200;

    public volatile bool Gzip;

    public TimeSpan Delay { get; set; }

    public string? LastAccept { get; private set; }

    public string? LastTimeoutHeader { get; private set; }

    public int Requests;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            Interlocked.Increment(ref Requests);
            LastAccept = context.Request.Headers["Accept"];
            LastTimeoutHeader = context.Request.Headers["X-Prometheus-Scrape-Timeout-Seconds"];
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay);
            }
            var response = context.Response;
            response.StatusCode = Status;
            response.ContentType = ContentType;
            var bytes = Encoding.UTF8.GetBytes(Body);
            if (Gzip && (context.Request.Headers["Accept-Encoding"] ?? "").Contains("gzip", StringComparison.Ordinal))
            {
                using var packed = new MemoryStream();
                using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
                {
                    gzip.Write(bytes);
                }
                bytes = packed.ToArray();
                response.AddHeader("Content-Encoding", "gzip");
            }
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The scraper gave up (timeout test): nothing to answer.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
