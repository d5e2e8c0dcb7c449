using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kansoku.Agent.Tests.Outputs;

internal sealed record ReceivedRequest(string Method, string Path, NameValueCollection Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}

internal sealed record FakeResponse(int Status, string Body = "", string? RetryAfter = null);

/// <summary>A real HTTP server on 127.0.0.1 (HttpListener) that records requests and answers from a script.</summary>
internal sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ReceivedRequest, int, FakeResponse> _respond;
    private readonly Task _loop;
    private int _count;

    /// <param name="respond">Gets the request and its 0-based index.</param>
    public FakeHttpServer(Func<ReceivedRequest, int, FakeResponse> respond)
    {
        _respond = respond;
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            if (context.Request.Headers["Content-Encoding"] == "gzip")
            {
                await using var gzip = new GZipStream(context.Request.InputStream, CompressionMode.Decompress);
                await gzip.CopyToAsync(body);
            }
            else
            {
                await context.Request.InputStream.CopyToAsync(body);
            }
            var request = new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers, body.ToArray());
            Requests.Enqueue(request);
            var response = _respond(request, Interlocked.Increment(ref _count) - 1);
            context.Response.StatusCode = response.Status;
            if (response.RetryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = response.RetryAfter;
            }
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
