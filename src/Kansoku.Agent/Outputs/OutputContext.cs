using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Outputs;

/// <summary>What an output factory gets besides its own section.</summary>
/// <param name="Name">Unique name, e.g. <c>es.0</c>; the output's buffer lives in <c>{StateDirectory}/buffer/{Name}</c>.</param>
/// <param name="StateDirectory">The agent's state directory (checkpoints, buffers); exists.</param>
/// <param name="Sync">Whether buffer appends and file writes are fsynced before they are acknowledged.</param>
internal sealed record OutputContext(string Name, string StateDirectory, ComponentCounters Counters, AgentLog Log, TimeProvider Time, SyncPolicy Sync = SyncPolicy.Full);
