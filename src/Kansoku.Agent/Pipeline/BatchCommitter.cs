using System.Threading.Channels;
using Kansoku.Agent.Checkpoints;
using Kansoku.Agent.Outputs;

namespace Kansoku.Agent.Pipeline;

/// <summary>
/// The commit loop: takes sealed batches in order, hands each output its part, and only when every output has accepted
/// (durably buffered or delivered) advances and saves the checkpoints. A crash at any point therefore loses nothing:
/// at worst the batches after the last save are read and sent again.
/// </summary>
internal sealed class BatchCommitter
{
    private readonly ChannelReader<Batch> _batches;
    private readonly IReadOnlyList<IOutput> _outputs;
    private readonly Checkpointer _checkpointer;
    private readonly AgentLog _log;
    private long _committedBatches;
    private long _committedRecords;

    public BatchCommitter(ChannelReader<Batch> batches, IReadOnlyList<IOutput> outputs, Checkpointer checkpointer, AgentLog log)
    {
        _batches = batches;
        _outputs = outputs;
        _checkpointer = checkpointer;
        _log = log;
    }

    public long CommittedBatches => Interlocked.Read(ref _committedBatches);
    public long CommittedRecords => Interlocked.Read(ref _committedRecords);

    /// <summary>Runs until the channel completes and is empty, or cancellation (then uncommitted batches are left to be re-read).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pending = new Task[_outputs.Count];
        await foreach (var batch in _batches.ReadAllAsync(cancellationToken))
        {
            using (batch)
            {
                for (var i = 0; i < _outputs.Count; i++)
                {
                    pending[i] = batch.RecordCounts[i] == 0
                        ? Task.CompletedTask
                        : _outputs[i].AcceptAsync(batch.Buffers[i].WrittenMemory, batch.RecordCounts[i], cancellationToken).AsTask();
                }
                await Task.WhenAll(pending);
                try
                {
                    _checkpointer.Commit(batch.Positions, batch.Closed);
                }
                catch (IOException e)
                {
                    // The data is with the outputs; a failed save only means it may be sent again after a restart.
                    _log.Error($"saving checkpoints failed: {e.Message}");
                }
                Interlocked.Increment(ref _committedBatches);
                Interlocked.Add(ref _committedRecords, batch.Records);
            }
        }
    }
}
