using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kansoku.Kubernetes;

/// <summary>
/// Watch requests (<c>GET …?watch=true</c>) sent through the API client's HttpClient, base URI and credentials.
/// KubernetesClient.Aot, the build of the client that is safe for NativeAOT, leaves its Watcher out; this reads the
/// stream the way that Watcher did: one JSON event per line, an object of kind Status reported as an error, the end
/// of the stream ending the watch, and a non-2xx answer thrown as the <see cref="HttpOperationException"/> lists throw.
/// </summary>
internal sealed class KubernetesWatchClient
{
    private readonly k8s.Kubernetes _client;
    private readonly string? _tlsServerName;
    private readonly bool _http2;

    public KubernetesWatchClient(k8s.Kubernetes client, KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(configuration);
        _client = client;
        _tlsServerName = string.IsNullOrWhiteSpace(configuration.TlsServerName) ? null : configuration.TlsServerName;
        _http2 = !configuration.DisableHttp2;
    }

    /// <summary>Watches the collection at <paramref name="path"/> (relative to the base URI, e.g. <c>api/v1/pods</c>).</summary>
    /// <param name="labelSelector">Last so the callers without one need not change.</param>
    /// <param name="deserialize">
    /// Reads an event's object; null: KubernetesJson, which knows only the built-in kinds, so custom resources pass their own.
    /// </param>
    public async IAsyncEnumerable<(WatchEventType Type, T Item)> WatchAsync<T>(string path, string? fieldSelector,
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken,
        string? labelSelector = null, Func<JsonElement, T>? deserialize = null)
    {
        var query = new StringBuilder("?watch=true&allowWatchBookmarks=true");
        if (!string.IsNullOrEmpty(fieldSelector))
        {
            query.Append("&fieldSelector=").Append(Uri.EscapeDataString(fieldSelector));
        }
        if (!string.IsNullOrEmpty(labelSelector))
        {
            query.Append("&labelSelector=").Append(Uri.EscapeDataString(labelSelector));
        }
        query.Append("&resourceVersion=").Append(Uri.EscapeDataString(resourceVersion))
            .Append("&timeoutSeconds=").Append(timeoutSeconds.ToString(CultureInfo.InvariantCulture));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_client.BaseUri, path + query));
        using var response = await SendAsync(request, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0 && Parse(line, deserialize ?? (element => KubernetesJson.Deserialize<T>(element)), onError) is { } watchEvent)
            {
                yield return watchEvent;
            }
        }
    }

    /// <summary>
    /// Lists the collection at <paramref name="path"/> as JSON, for kinds KubernetesJson cannot read (custom resources);
    /// a non-2xx answer is thrown as <see cref="HttpOperationException"/>, as the typed lists do.
    /// </summary>
    public async Task<JsonDocument> ListJsonAsync(string path, string? labelSelector, CancellationToken cancellationToken)
    {
        var query = string.IsNullOrEmpty(labelSelector) ? "" : "?labelSelector=" + Uri.EscapeDataString(labelSelector);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_client.BaseUri, path + query));
        using var response = await SendAsync(request, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_http2)
        {
            // As the client's own requests: HTTP/2 where the server offers it (TLS), HTTP/1.1 otherwise.
            request.Version = HttpVersion.Version20;
        }
        if (_client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }
        if (_tlsServerName is not null)
        {
            request.Headers.Host = _tlsServerName;
        }
        var response = await _client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var content = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}', response body {content}")
                {
                    Request = new HttpRequestMessageWrapper(request, ""),
                    Response = new HttpResponseMessageWrapper(response, content),
                };
            }
        }
        return response;
    }

    /// <summary>The event on <paramref name="line"/>; null (after telling <paramref name="onError"/>) for an error or a bad line.</summary>
    private static (WatchEventType Type, T Item)? Parse<T>(string line, Func<JsonElement, T> deserialize, Action<Exception> onError)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString();
            var item = root.GetProperty("object");
            if (type == "ERROR" || (item.TryGetProperty("kind", out var kind) && kind.ValueEquals("Status")))
            {
                onError(new KubernetesException(KubernetesJson.Deserialize<V1Status>(item)));
                return null;
            }
            WatchEventType? eventType = type switch
            {
                "ADDED" => WatchEventType.Added,
                "MODIFIED" => WatchEventType.Modified,
                "DELETED" => WatchEventType.Deleted,
                "BOOKMARK" => WatchEventType.Bookmark,
                _ => null,
            };
            if (eventType is null)
            {
                onError(new KubernetesException($"unknown watch event type '{type}'"));
                return null;
            }
            return (eventType.Value, deserialize(item));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            onError(e);
            return null;
        }
    }
}
