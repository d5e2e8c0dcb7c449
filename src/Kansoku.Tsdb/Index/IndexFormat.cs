namespace Kansoku.Tsdb.Index;

/// <summary>Constants of a block's index file (docs/format/tsdb.md, "Index").</summary>
internal static class IndexFormat
{
    public const string FileName = "index";
    public static ReadOnlySpan<byte> Magic => "KSIX"u8;
    public const int HeaderBytes = 8;

    /// <summary>Written by <see cref="IndexWriter"/>; version 1 (u64 series offsets, absolute chunk times, an all-series postings list) still reads.</summary>
    public const byte Version = 2;

    /// <summary>Table of contents: six u64 offsets/counts and a CRC-32 of them.</summary>
    public const int TocBytes = (6 * 8) + 4;
}
