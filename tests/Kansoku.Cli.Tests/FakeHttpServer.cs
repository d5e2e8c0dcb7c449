using System.Net;
using System.Net.Sockets;

namespace Kansoku.Cli.Tests;

/// <summary>
/// A destination on 127.0.0.1 (HttpListener) that records every request and answers as <c>reply</c> decides, so tests
/// can play Loki or Elasticsearch, healthy or failing.
/// </summary>
internal sealed class FakeHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<ReceivedRequest, FakeReply> _reply;
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Task _loop;

    private FakeHttpServer(HttpListener listener, int port, Func<ReceivedRequest, FakeReply> reply)
    {
        _listener = listener;
        _reply = reply;
        BaseUrl = $"http://127.0.0.1:{port}";
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <param name="reply">Called once per request, in order, with the request's 0-based number in <see cref="ReceivedRequest.Index"/>.</param>
    public static FakeHttpServer Start(Func<ReceivedRequest, FakeReply> reply)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeHttpServer(listener, port, reply);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
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
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                FakeReply reply;
                lock (_requests)
                {
                    var request = new ReceivedRequest(_requests.Count, context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
                        context.Request.ContentType, context.Request.Headers["Content-Encoding"], body.ToArray());
                    reply = _reply(request);
                    _requests.Add(request);
                }
                var response = context.Response;
                response.StatusCode = reply.Status;
                response.ContentType = "application/json";
                if (reply.RetryAfterSeconds is { } after)
                {
                    response.Headers["Retry-After"] = after.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                var bytes = System.Text.Encoding.UTF8.GetBytes(reply.Body);
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The agent gave up on this request (timeout or shutdown); it sends the batch again if it needs to.
            }
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _loop.GetAwaiter().GetResult();
    }
}
