namespace Kansoku.Bench.Loadgen;

/// <summary>One push request ready to send: the snappy-compressed PushRequest, and what it carries.</summary>
internal sealed record PreparedRequest(byte[] Body, int Lines, int RawBytes);
