namespace Kansoku.RemoteWrite.Sender;

/// <summary>A sample waiting in a shard, with what its series is sent as.</summary>
internal readonly record struct PendingSample(SeriesTarget Series, long TimestampMs, double Value);
