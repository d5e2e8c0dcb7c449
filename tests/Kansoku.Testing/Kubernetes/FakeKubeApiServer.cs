using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Kansoku.Testing.Kubernetes;

/// <summary>
/// A Kubernetes API server on 127.0.0.1 (plain HTTP) that serves recorded lists for pods, namespaces and ReplicaSets
/// and streams watch events the test pushes, one JSON object per line, as the real server does.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    public const string Pods = "/api/v1/pods";
    public const string Namespaces = "/api/v1/namespaces";
    public const string ReplicaSets = "/apis/apps/v1/replicasets";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, JsonObject> _lists = new();
    /// <summary>Per resource: lines for the open (or next) watch; null closes the watch.</summary>
    private readonly ConcurrentDictionary<string, Channel<string?>> _events = new();
    private readonly ConcurrentDictionary<string, int> _failNext = new();

    public FakeKubeApiServer(JsonObject pods, JsonObject namespaces, JsonObject replicaSets)
        : this(new Dictionary<string, JsonObject> { [Pods] = pods, [Namespaces] = namespaces, [ReplicaSets] = replicaSets })
    {
    }

    /// <summary>A server for any collections: each path (e.g. <c>/api/v1/namespaces/shop/services</c>) with its recorded list.</summary>
    public FakeKubeApiServer(IReadOnlyDictionary<string, JsonObject> lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        foreach (var (path, list) in lists)
        {
            _lists[path] = list;
            _events[path] = Channel.CreateUnbounded<string?>();
        }
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public string Url { get; }

    /// <summary>Every request as path + query, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>When set, requests without <c>Authorization: Bearer</c> and this token are answered 401.</summary>
    public string? RequiredToken { get; set; }

    public static FakeKubeApiServer FromTestData() =>
        new(KubeTestData.Json("pods.json"), KubeTestData.Json("namespaces.json"), KubeTestData.Json("replicasets.json"));

    /// <summary>Queues a watch event for <paramref name="path"/>'s watch.</summary>
    public void Send(string path, string type, JsonNode item) =>
        _events[path].Writer.TryWrite(new JsonObject { ["type"] = type, ["object"] = item.DeepClone() }.ToJsonString());

    /// <summary>Queues <paramref name="line"/> as it is, for a watch stream the client must survive.</summary>
    public void SendRaw(string path, string line) => _events[path].Writer.TryWrite(line);

    /// <summary>Ends the open watch, as a server restart or a load balancer would.</summary>
    public void CloseWatch(string path) => _events[path].Writer.TryWrite(null);

    /// <summary>Sends the ERROR event a server sends when the watched resourceVersion is too old, then ends the watch.</summary>
    public void ExpireWatch(string path)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = "too old resource version: 1 (48000)",
            ["reason"] = "Expired",
            ["code"] = 410,
        };
        _events[path].Writer.TryWrite(new JsonObject { ["type"] = "ERROR", ["object"] = status }.ToJsonString());
        CloseWatch(path);
    }

    /// <summary>Replaces what a list of <paramref name="path"/> returns.</summary>
    public void SetList(string path, JsonObject list) => _lists[path] = list;

    /// <summary>Answers the next <paramref name="count"/> requests for <paramref name="path"/> with 500.</summary>
    public void FailNext(string path, int count) => _failNext[path] = count;

    public int CountRequests(string path, bool watch) => Requests.Count(r =>
    {
        var query = r.IndexOf('?', StringComparison.Ordinal);
        return (query < 0 ? r : r[..query]) == path && r.Contains("watch=true", StringComparison.Ordinal) == watch;
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var channel in _events.Values)
        {
            channel.Writer.TryComplete();
        }
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        Requests.Enqueue(request.Url.PathAndQuery);
        try
        {
            if (RequiredToken is { } token && request.Headers["Authorization"] != "Bearer " + token)
            {
                await Write(response, 401, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}""");
                return;
            }
            if (_failNext.TryGetValue(path, out var failures) && failures > 0)
            {
                _failNext[path] = failures - 1;
                await Write(response, 500, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcdserver: request timed out","code":500}""");
                return;
            }
            if (!_lists.TryGetValue(path, out var list))
            {
                await Write(response, 404, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
                return;
            }
            if (request.QueryString["watch"] is "true" or "1")
            {
                await StreamWatch(path, response);
                return;
            }
            await Write(response, 200, Select(list, request.QueryString["fieldSelector"]).ToJsonString());
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (HttpListenerException)
        {
            // The client went away mid-watch.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception)
            {
                // Already torn down by the listener's shutdown.
            }
        }
    }

    private async Task StreamWatch(string path, HttpListenerResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.SendChunked = true;
        var output = response.OutputStream;
        await output.FlushAsync(_stop.Token);
        var reader = _events[path].Reader;
        while (await reader.WaitToReadAsync(_stop.Token))
        {
            if (!reader.TryRead(out var line))
            {
                continue;
            }
            if (line is null)
            {
                return;
            }
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            await output.WriteAsync(bytes, _stop.Token);
            await output.FlushAsync(_stop.Token);
        }
    }

    /// <summary>Applies the one field selector the agent sends, <c>spec.nodeName=X</c>.</summary>
    private static JsonObject Select(JsonObject list, string? fieldSelector)
    {
        const string NodeSelector = "spec.nodeName=";
        if (fieldSelector is null || !fieldSelector.StartsWith(NodeSelector, StringComparison.Ordinal))
        {
            return list;
        }
        var node = fieldSelector[NodeSelector.Length..];
        var selected = list.DeepClone().AsObject();
        var items = selected["items"]!.AsArray();
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if ((string?)items[i]!["spec"]?["nodeName"] != node)
            {
                items.RemoveAt(i);
            }
        }
        return selected;
    }

    private static async Task Write(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
