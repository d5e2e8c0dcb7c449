using System.Collections.Concurrent;
using ZstdSharp;

namespace Kansoku.LogStore.Parts;

/// <summary>
/// Decompression contexts shared by all queries: a block is decompressed in one call, so a context is rented per call
/// rather than held by each of a query's (possibly thousands of) stream readers.
/// </summary>
internal static class ZstdPool
{
    private const int MaxPooled = 32;
    private static readonly ConcurrentBag<Decompressor> s_decompressors = [];

    /// <summary>Decodes a column into <paramref name="destination"/>, which must be exactly its raw length.</summary>
    public static void Decode(ReadOnlySpan<byte> stored, ColumnCodec codec, Span<byte> destination)
    {
        switch (codec)
        {
            case ColumnCodec.None:
                if (stored.Length != destination.Length)
                {
                    throw new InvalidDataException("raw column length mismatch");
                }
                stored.CopyTo(destination);
                return;
            case ColumnCodec.Zstd:
                if (!s_decompressors.TryTake(out var decompressor))
                {
                    decompressor = new Decompressor();
                }
                try
                {
                    if (decompressor.Unwrap(stored, destination) != destination.Length)
                    {
                        throw new InvalidDataException("decompressed column length mismatch");
                    }
                }
                finally
                {
                    if (s_decompressors.Count < MaxPooled)
                    {
                        s_decompressors.Add(decompressor);
                    }
                    else
                    {
                        decompressor.Dispose();
                    }
                }
                return;
            default:
                throw new InvalidDataException($"unknown column codec {codec}");
        }
    }
}
