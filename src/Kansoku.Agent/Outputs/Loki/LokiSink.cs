using Kansoku.Agent.Outputs.Batching;
using Kansoku.Agent.Outputs.Http;

namespace Kansoku.Agent.Outputs.Loki;

/// <summary>Pushes batches to Loki's (or the Kansoku server's) <c>/loki/api/v1/push</c>.</summary>
internal sealed class LokiSink : ILogSink
{
    private readonly LokiConfig _config;
    private readonly LokiPushBuilder _builder;
    private readonly HttpTransport _transport;
    private readonly TimeProvider _time;

    public LokiSink(LokiConfig config, TimeProvider time)
    {
        _config = config;
        _builder = new LokiPushBuilder(config);
        _transport = new HttpTransport(config.Transport, time);
        _time = time;
    }

    public async ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> ndjson, int count, CancellationToken cancellationToken)
    {
        var invalid = _builder.Build(ndjson, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000);
        if (_builder.EntryCount == 0)
        {
            return SendResult.Ok(0, invalid, "not JSON objects");
        }
        var reply = _config.Protobuf
            ? await _transport.PostAsync(_builder.EncodeProtobuf(), "application/x-protobuf", cancellationToken)
            : await _transport.PostAsync(_builder.EncodeJson(), "application/json", cancellationToken);
        if (reply.IsSuccess)
        {
            return SendResult.Ok(_builder.EntryCount, invalid, "not JSON objects");
        }
        return HttpTransport.Classify(reply);
    }

    public ValueTask DisposeAsync()
    {
        _transport.Dispose();
        _builder.Dispose();
        return ValueTask.CompletedTask;
    }
}
