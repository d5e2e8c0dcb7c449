namespace Kansoku.Agent.Outputs.Buffering;

/// <summary>What an append does when the buffer's byte quota is reached (key <c>buffer_full_action</c>).</summary>
internal enum BufferFullAction
{
    /// <summary>Wait until the sender frees space: backpressure up to the inputs, nothing is lost.</summary>
    Block,

    /// <summary>Discard the oldest batches not yet handed to the sender, counting their records as dropped.</summary>
    DropOldest,

    /// <summary>Discard the incoming batch, counting its records as dropped.</summary>
    DropNewest,
}
