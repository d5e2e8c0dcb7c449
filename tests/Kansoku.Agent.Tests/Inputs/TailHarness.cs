using System.Threading.Channels;
using Kansoku.Agent.Checkpoints;
using Kansoku.Agent.Inputs.Tail;
using Kansoku.Agent.Pipeline;
using Kansoku.Agent.Tests.Pipeline;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Inputs;

/// <summary>A tail input wired to a collecting output through the real batch and commit path.</summary>
internal sealed class TailHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly Task _committer;
    private readonly TailInput _input;
    private readonly BatchBuilder _builder;

    public TailHarness(TailOptions options, string stateDirectory, CollectingOutput output, bool once = false, TailContext? context = null)
    {
        Output = output;
        var channel = Channel.CreateBounded<Batch>(4);
        Checkpointer = new Checkpointer(new CheckpointStore(stateDirectory), TimeProvider.System);
        _builder = new BatchBuilder([], [TagPattern.All], channel.Writer, new ComponentCounters("input", "tail.0"),
            new PipelineLimits(TimeSpan.FromMilliseconds(20)), TimeProvider.System);
        _input = new TailInput(options, context ?? new TailContext(), Checkpointer, _builder, new ComponentCounters("input", "tail.0"), AgentLog.Null, TimeProvider.System);
        var commit = new BatchCommitter(channel.Reader, [output], Checkpointer, AgentLog.Null);
        _committer = Task.Run(() => commit.RunAsync(CancellationToken.None));
        _reader = Task.Run(async () =>
        {
            try
            {
                await _input.RunAsync(once, _stop.Token);
            }
            finally
            {
                channel.Writer.Complete();
            }
        });
    }

    public CollectingOutput Output { get; }
    public Checkpointer Checkpointer { get; }
    public TailInput Input => _input;

    public static TailOptions Options(string glob, bool readFromHead = true) => new()
    {
        Paths = [glob],
        ReadFromHead = readFromHead,
        RefreshInterval = TimeSpan.FromMilliseconds(20),
        RotateWait = TimeSpan.FromMilliseconds(200),
        Multiline = false,
    };

    public Task Completion => Task.WhenAll(_reader, _committer);

    public Task WaitForAsync(int records, int timeoutMs = 10_000) =>
        Eventually.WaitUntilAsync(() => Output.Records.Count >= records, timeoutMs, () => $"expected {records} records, got {Output.Records.Count}");

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Completion;
        _input.Dispose();
        _builder.Dispose();
        _stop.Dispose();
    }
}
