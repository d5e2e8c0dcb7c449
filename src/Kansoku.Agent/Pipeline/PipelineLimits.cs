namespace Kansoku.Agent.Pipeline;

/// <summary>How big and how old a batch gets before it goes to the outputs, and how many may wait.</summary>
/// <param name="FlushInterval">Fluent Bit's [SERVICE] Flush: the longest a record waits in a batch.</param>
/// <param name="PendingBatches">Sealed batches waiting for the outputs; past this the inputs pause.</param>
internal sealed record PipelineLimits(TimeSpan FlushInterval, int BatchRecords = 4096, int BatchBytes = 512 << 10, int PendingBatches = 2);
