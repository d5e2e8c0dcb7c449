namespace Kansoku.Agent.Outputs.Loki;

/// <summary>A line of a push: bytes in the batch itself, or in the builder's rewritten-lines buffer.</summary>
internal readonly record struct LokiEntry(long UnixNanos, int Start, int Length, bool Rewritten);
