using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Kansoku.LogStore.Index;

/// <summary>
/// A block's needle filter: a one-hash bloom filter of every 4-byte n-gram of its lines (n-grams never cross lines).
/// A needle of at least 4 bytes can only be in a block whose filter has the bits of all of the needle's n-grams, so a
/// query for a substring skips blocks that lack one. n-grams rather than words: LogQL's <c>|=</c> is a plain substring
/// (<c>|= "3c0e3dcd"</c> must find <c>traceID=3c0e3dcd33e7</c>), which word tokens cannot answer.
/// One hash rather than the textbook k: a needle gives many n-grams (n - 3), so the false-positive rate per needle is
/// fill^(n-3) and the filter can run at a high fill (≤ <see cref="MaxFill"/>) and stay small.
/// The filter is sized for the block and then folded (upper half OR-ed onto the lower) while it stays under
/// <see cref="MaxFill"/>, so repetitive blocks get small filters. Bit b of the filter is bit (b % 8) of byte b / 8.
/// </summary>
internal static class TokenFilter
{
    public const int GramBytes = 4;
    public const int MinLog2Bits = 9;
    public const int MaxLog2Bits = 24;
    private const double MaxFill = 0.55;

    /// <summary>Builds the filter of the lines (given as their concatenation and lengths); returns its log2 bit count.</summary>
    public static int Build(ReadOnlySpan<byte> lines, ReadOnlySpan<int> lengths, ArrayBufferWriter<byte> output)
    {
        var log2 = MinLog2Bits;
        while (log2 < MaxLog2Bits && (1L << log2) < 2L * lines.Length)
        {
            log2++;
        }
        var words = ArrayPool<ulong>.Shared.Rent(1 << (log2 - 6));
        try
        {
            var wordCount = 1 << (log2 - 6);
            Array.Clear(words, 0, wordCount);
            var mask = (1u << log2) - 1;
            var start = 0;
            foreach (var length in lengths)
            {
                AddGrams(lines.Slice(start, length), words, mask);
                start += length;
            }
            var ones = PopCount(words.AsSpan(0, wordCount));
            while (log2 > MinLog2Bits)
            {
                var fill = (double)ones / (1L << log2);
                var folded = 1 - ((1 - fill) * (1 - fill));
                if (folded > MaxFill)
                {
                    break;
                }
                var half = wordCount / 2;
                for (var i = 0; i < half; i++)
                {
                    words[i] |= words[i + half];
                }
                wordCount = half;
                log2--;
                ones = PopCount(words.AsSpan(0, wordCount));
            }
            // Little-endian words laid out as bytes give "bit b is bit b % 8 of byte b / 8" (the format is little-endian only).
            var bytes = MemoryMarshal.AsBytes(words.AsSpan(0, wordCount));
            bytes.CopyTo(output.GetSpan(bytes.Length));
            output.Advance(bytes.Length);
            return log2;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(words);
        }
    }

    /// <summary>Sets the bit of every n-gram of one line; eight n-grams at a time with SIMD where the line is long enough.</summary>
    private static void AddGrams(ReadOnlySpan<byte> line, ulong[] words, uint mask)
    {
        ref var word0 = ref MemoryMarshal.GetArrayDataReference(words);
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // Sixteen bytes hold the n-grams starting at their first eight positions (the last one ends at byte 10).
            var firstFour = Vector128.Create((byte)0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6);
            var nextFour = Vector128.Create((byte)4, 5, 6, 7, 5, 6, 7, 8, 6, 7, 8, 9, 7, 8, 9, 10);
            var vectorMask = Vector128.Create(mask);
            for (; i + Vector128<byte>.Count <= line.Length; i += 8)
            {
                var bytes = Vector128.Create(line.Slice(i, Vector128<byte>.Count));
                var low = Hash(Vector128.Shuffle(bytes, firstFour).AsUInt32()) & vectorMask;
                var high = Hash(Vector128.Shuffle(bytes, nextFour).AsUInt32()) & vectorMask;
                SetBit(ref word0, low.GetElement(0));
                SetBit(ref word0, low.GetElement(1));
                SetBit(ref word0, low.GetElement(2));
                SetBit(ref word0, low.GetElement(3));
                SetBit(ref word0, high.GetElement(0));
                SetBit(ref word0, high.GetElement(1));
                SetBit(ref word0, high.GetElement(2));
                SetBit(ref word0, high.GetElement(3));
            }
        }
        for (; i + GramBytes <= line.Length; i++)
        {
            SetBit(ref word0, Hash(BinaryPrimitives.ReadUInt32LittleEndian(line[i..])) & mask);
        }
    }

    /// <summary>The caller masks <paramref name="bit"/> to the filter's size, so no bounds check is needed.</summary>
    private static void SetBit(ref ulong word0, uint bit) => Unsafe.Add(ref word0, (int)(bit >> 6)) |= 1UL << (int)(bit & 63);

    /// <summary>Filter bytes for a log2 bit count.</summary>
    public static int ByteLength(int log2Bits) => log2Bits == 0 ? 0 : 1 << (log2Bits - 3);

    /// <summary>False when no line of the block can contain <paramref name="needle"/>; true for needles shorter than 4 bytes.</summary>
    public static bool MayContain(ReadOnlySpan<byte> filter, int log2Bits, ReadOnlySpan<byte> needle)
    {
        var mask = (1u << log2Bits) - 1;
        for (var i = 0; i + GramBytes <= needle.Length; i++)
        {
            var bit = Hash(BinaryPrimitives.ReadUInt32LittleEndian(needle[i..])) & mask;
            if ((filter[(int)(bit >> 3)] & (1 << (int)(bit & 7))) == 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether the filter can answer anything for these needles (one of them is at least an n-gram long).</summary>
    public static bool Useful(IReadOnlyList<byte[]> needles)
    {
        foreach (var needle in needles)
        {
            if (needle.Length >= GramBytes)
            {
                return true;
            }
        }
        return false;
    }

    // murmur3's finalizer on the n-gram: the filter uses the low bits, which a bare multiply leaves poorly mixed.
    private static uint Hash(uint gram)
    {
        var h = gram * 0x9E3779B1u;
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return h;
    }

    /// <summary><see cref="Hash(uint)"/> of four n-grams at once.</summary>
    private static Vector128<uint> Hash(Vector128<uint> grams)
    {
        var h = grams * 0x9E3779B1u;
        h ^= Vector128.ShiftRightLogical(h, 16);
        h *= 0x85EBCA6Bu;
        h ^= Vector128.ShiftRightLogical(h, 13);
        h *= 0xC2B2AE35u;
        h ^= Vector128.ShiftRightLogical(h, 16);
        return h;
    }

    private static long PopCount(ReadOnlySpan<ulong> words)
    {
        long count = 0;
        foreach (var word in words)
        {
            count += BitOperations.PopCount(word);
        }
        return count;
    }
}
