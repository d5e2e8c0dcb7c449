using System.Net;
using System.Text;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Http;

/// <summary>
/// /metrics (Prometheus text) and /healthz for the agent. HttpListener keeps the agent light: it does not need a web
/// framework for two read-only endpoints.
/// </summary>
internal sealed class AgentHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly AgentPipeline _pipeline;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public AgentHttpServer(string listen, AgentPipeline pipeline)
    {
        _pipeline = pipeline;
        var (host, port) = ParseListen(listen);
        // HttpListener matches the Host header against the prefix: "*" listens on every address and serves any name,
        // which is what HTTP_Listen 0.0.0.0 (Fluent Bit's default) means.
        var prefixHost = host is "0.0.0.0" or "*" or "::" or "[::]" ? "*" : host;
        _listener.Prefixes.Add($"http://{prefixHost}:{port}/");
    }

    public static (string Host, int Port) ParseListen(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"expected HOST:PORT, got '{listen}'");
        }
        return (listen[..colon], port);
    }

    public void Start()
    {
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
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
                Respond(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away; nothing to do.
            }
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var response = context.Response;
        string body;
        switch (context.Request.Url?.AbsolutePath)
        {
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                body = AgentMetrics.Render(_pipeline);
                break;
            case "/healthz":
            case "/api/v1/health":
                response.ContentType = "text/plain; charset=utf-8";
                body = "ok\n";
                break;
            default:
                response.StatusCode = 404;
                body = "not found\n";
                break;
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
    }
}
