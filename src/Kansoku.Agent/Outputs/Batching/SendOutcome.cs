namespace Kansoku.Agent.Outputs.Batching;

internal enum SendOutcome
{
    /// <summary>Every record was delivered or deliberately dropped (<see cref="SendResult.Dropped"/>).</summary>
    Done,

    /// <summary>Some or all records must be sent again (<see cref="SendResult.Remaining"/>).</summary>
    Retry,

    /// <summary>The destination refused the batch for good (a 4xx other than 408/429): it is dropped.</summary>
    Rejected,
}
