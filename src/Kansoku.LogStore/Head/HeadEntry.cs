namespace Kansoku.LogStore.Head;

/// <summary>An entry in a head stream: its time and where its line is in the stream's pages.</summary>
internal readonly record struct HeadEntry(long Timestamp, int Page, int Offset, int Length);
