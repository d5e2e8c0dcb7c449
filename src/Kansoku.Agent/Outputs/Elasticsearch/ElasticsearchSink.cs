using System.Buffers;
using System.Text.Json;
using Kansoku.Agent.Outputs.Batching;
using Kansoku.Agent.Outputs.Http;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Outputs.Elasticsearch;

/// <summary>
/// Sends batches to <c>_bulk</c>. HTTP failures retry the batch; with HTTP 200 and <c>"errors":true</c> each item
/// is judged alone: 429 and 5xx items are retried (only those), 409 on <c>create</c> with generate_id means the
/// document is already there (a re-send after a crash) and counts as delivered, other 4xx items are dropped and
/// counted with the reason logged.
/// </summary>
internal sealed class ElasticsearchSink : ILogSink
{
    private readonly ElasticsearchConfig _config;
    private readonly BulkRequestBuilder _builder;
    private readonly HttpTransport _transport;
    private readonly TimeProvider _time;
    private readonly AgentLog _log;
    private readonly string _name;
    // Items to retry go to one buffer while the batch being answered may live in the other.
    private readonly ArrayBufferWriter<byte>[] _retryBuffers = [new(), new()];
    private int _retryIndex;

    public ElasticsearchSink(string name, ElasticsearchConfig config, TimeProvider time, AgentLog log)
    {
        _name = name;
        _config = config;
        _builder = new BulkRequestBuilder(config);
        _transport = new HttpTransport(config.Transport, time);
        _time = time;
        _log = log;
    }

    public async ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> ndjson, int count, CancellationToken cancellationToken)
    {
        var invalid = _builder.Build(ndjson.Span, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000);
        if (_builder.Lines.Count == 0)
        {
            return SendResult.Ok(0, invalid, "not JSON objects");
        }
        var reply = await _transport.PostAsync(_builder.Body, "application/x-ndjson", cancellationToken);
        if (!reply.IsSuccess)
        {
            return HttpTransport.Classify(reply);
        }
        try
        {
            return Judge(ndjson.Span, reply.Body, invalid);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return SendResult.RetryAll($"unreadable _bulk response ({ex.Message}): {HttpTransport.Excerpt(reply.Body)}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _transport.Dispose();
        _builder.Dispose();
        return ValueTask.CompletedTask;
    }

    private SendResult Judge(ReadOnlySpan<byte> ndjson, byte[] body, int invalid)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var lines = _builder.Lines;
        if (!root.TryGetProperty("errors"u8, out var errors) || errors.ValueKind != JsonValueKind.True)
        {
            return SendResult.Ok(lines.Count, invalid, "not JSON objects");
        }
        _retryIndex ^= 1;
        var retry = _retryBuffers[_retryIndex];
        retry.Clear();
        int delivered = 0, dropped = invalid, retried = 0, index = 0;
        string? dropReason = null;
        string? retryReason = null;
        foreach (var item in root.GetProperty("items"u8).EnumerateArray())
        {
            if (index >= lines.Count)
            {
                break;
            }
            var (start, length) = lines[index++];
            var result = default(JsonElement);
            var operation = "";
            foreach (var property in item.EnumerateObject())
            {
                operation = property.Name;
                result = property.Value;
            }
            var status = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("status"u8, out var s) ? s.GetInt32() : 0;
            if (status is >= 200 and < 300 || status == 409 && _config.GenerateId && operation == "create")
            {
                delivered++;
            }
            else if (status == 429 || status >= 500 || status == 0)
            {
                retry.Write(ndjson.Slice(start, length));
                retry.Write("\n"u8);
                retried++;
                retryReason ??= Describe(status, result);
            }
            else
            {
                dropped++;
                var reason = Describe(status, result);
                dropReason ??= reason;
                if (_config.TraceError)
                {
                    _log.Warn($"[output:{_name}] item refused: {reason}; document: {System.Text.Encoding.UTF8.GetString(ndjson.Slice(start, length))}");
                }
            }
        }
        // Items the response did not mention are not known to be stored: send them again.
        for (; index < lines.Count; index++)
        {
            var (start, length) = lines[index];
            retry.Write(ndjson.Slice(start, length));
            retry.Write("\n"u8);
            retried++;
        }
        if (retried == 0)
        {
            return SendResult.Ok(delivered, dropped, dropReason);
        }
        retryReason ??= "items missing from the _bulk response";
        return SendResult.RetrySome(delivered, dropped, retry.WrittenMemory, retried,
            dropReason is null ? retryReason : $"{dropReason}; retrying {retried} items: {retryReason}");
    }

    private static string Describe(int status, JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("error"u8, out var error))
        {
            return error.ValueKind == JsonValueKind.Object
                ? $"status {status} {Text(error, "type")}: {Text(error, "reason")}"
                : $"status {status}: {error}";
        }
        return $"status {status}";

        static string Text(JsonElement error, string key) =>
            error.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
    }
}
