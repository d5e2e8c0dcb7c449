using System.Buffers;
using System.Numerics;

namespace Kansoku.Tsdb.Chunks;

/// <summary>
/// The packed encoding of a closed chunk (docs/format/tsdb.md, "Packed chunks"), after VictoriaMetrics: timestamps as
/// their differences minus the smallest one, values as integers m with value = m / 10^e, stored as offsets from their
/// minimum or as differences minus the smallest difference, whichever is shorter; each column bit-packed at the width
/// of its largest entry. Regular scrapes cost 0 bits a timestamp, a counter's increments or a two-decimal gauge's value
/// only the bits their spread needs.
/// </summary>
internal static class PackedChunk
{
    public const int MaxExponent = 15;
    public const byte OffsetsFromMinimum = 0;
    public const byte Differences = 1;

    /// <summary>Integers up to 2^53 are exact in a double, so m converts without loss.</summary>
    private const double MaxExact = 9007199254740992.0;

    /// <summary>Exact powers of ten; m / 10^e is then the double nearest the decimal, as parsing it gives.</summary>
    private static readonly double[] s_powers = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    public static double Value(long mantissa, int exponent) => exponent == 0 ? mantissa : mantissa / s_powers[exponent];

    public static int SampleCount(ReadOnlySpan<byte> chunk)
    {
        // The count is the first thing after the encoding byte, so it is byte-aligned.
        var reader = new Encoding.ByteReader(chunk[1..]);
        return (int)reader.ReadUVarint();
    }

    /// <summary>The packed chunk, or null when a value is no short decimal or the result is not under <paramref name="limitBytes"/>.</summary>
    public static byte[]? TryEncode(ReadOnlySpan<long> timestamps, ReadOnlySpan<double> values, int limitBytes)
    {
        var rented = ArrayPool<long>.Shared.Rent(values.Length);
        try
        {
            var mantissas = rented.AsSpan(0, values.Length);
            var exponent = FindExponent(values, mantissas);
            return exponent < 0 ? null : Encode(timestamps, mantissas, exponent, limitBytes);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }

    private static byte[]? Encode(ReadOnlySpan<long> timestamps, ReadOnlySpan<long> mantissas, int exponent, int limitBytes)
    {
        var bits = new BitWriter(Math.Max(16, limitBytes), 1);
        bits.Buffer[0] = (byte)ChunkEncoding.Packed;
        bits.WriteUVarint((ulong)timestamps.Length);
        bits.WriteVarint(timestamps[0]);

        // Unsigned arithmetic: timestamps may be anything, and wrapping differences still decode exactly.
        var minDelta = ulong.MaxValue;
        var maxDelta = 0UL;
        for (var i = 1; i < timestamps.Length; i++)
        {
            var delta = (ulong)timestamps[i] - (ulong)timestamps[i - 1];
            minDelta = Math.Min(minDelta, delta);
            maxDelta = Math.Max(maxDelta, delta);
        }
        var timestampWidth = timestamps.Length > 1 ? Width(maxDelta - minDelta) : 0;

        long min = long.MaxValue, max = long.MinValue, minDifference = long.MaxValue, maxDifference = long.MinValue;
        for (var i = 0; i < mantissas.Length; i++)
        {
            min = Math.Min(min, mantissas[i]);
            max = Math.Max(max, mantissas[i]);
            if (i > 0)
            {
                minDifference = Math.Min(minDifference, mantissas[i] - mantissas[i - 1]);
                maxDifference = Math.Max(maxDifference, mantissas[i] - mantissas[i - 1]);
            }
        }
        var offsetWidth = Width((ulong)(max - min));
        var differenceWidth = mantissas.Length > 1 ? Width((ulong)(maxDifference - minDifference)) : 64;
        var mode = differenceWidth < offsetWidth ? Differences : OffsetsFromMinimum;

        if (timestamps.Length > 1)
        {
            bits.WriteUVarint(minDelta);
            bits.WriteBits((ulong)timestampWidth, 8);
        }
        bits.WriteBits((ulong)exponent, 8);
        bits.WriteBits(mode, 8);
        if (mode == Differences)
        {
            bits.WriteVarint(mantissas[0]);
            bits.WriteVarint(minDifference);
            bits.WriteBits((ulong)differenceWidth, 8);
        }
        else
        {
            bits.WriteVarint(min);
            bits.WriteBits((ulong)offsetWidth, 8);
        }
        for (var i = 1; i < timestamps.Length; i++)
        {
            bits.WriteBits((ulong)timestamps[i] - (ulong)timestamps[i - 1] - minDelta, timestampWidth);
        }
        if (mode == Differences)
        {
            for (var i = 1; i < mantissas.Length; i++)
            {
                bits.WriteBits((ulong)(mantissas[i] - mantissas[i - 1] - minDifference), differenceWidth);
            }
        }
        else
        {
            foreach (var mantissa in mantissas)
            {
                bits.WriteBits((ulong)(mantissa - min), offsetWidth);
            }
        }
        return bits.ByteLength < limitBytes ? bits.ToArray() : null;
    }

    /// <summary>The smallest e for which every value is exactly m / 10^e with |m| below 2^53 (filling <paramref name="mantissas"/>), or -1.</summary>
    private static int FindExponent(ReadOnlySpan<double> values, Span<long> mantissas)
    {
        for (var exponent = 0; exponent <= MaxExponent; exponent++)
        {
            var exact = true;
            for (var i = 0; i < values.Length && exact; i++)
            {
                var scaled = values[i] * s_powers[exponent];
                if (!(Math.Abs(scaled) < MaxExact))
                {
                    // Larger exponents only scale further out of range (and NaN never comes in).
                    return -1;
                }
                mantissas[i] = (long)Math.Round(scaled);
                // Bitwise, so -0.0 (which m = 0 would turn into +0.0) falls back to XOR.
                exact = BitConverter.DoubleToUInt64Bits(Value(mantissas[i], exponent)) == BitConverter.DoubleToUInt64Bits(values[i]);
            }
            if (exact)
            {
                return exponent;
            }
        }
        return -1;
    }

    private static int Width(ulong range) => 64 - BitOperations.LeadingZeroCount(range);
}

/// <summary>Decodes a <see cref="PackedChunk"/> in order: one reader over the timestamp column, one over the values.</summary>
internal struct PackedDecoder
{
    private BitReader _timestamps;
    private BitReader _values;
    private readonly int _count;
    private readonly ulong _minDelta;
    private readonly int _timestampWidth;
    private readonly int _exponent;
    private readonly bool _differences;
    private readonly long _base;
    private readonly long _minDifference;
    private readonly int _valueWidth;
    private long _mantissa;
    private int _read;

    public PackedDecoder(byte[] buffer, int offset, int length)
    {
        var header = new BitReader(buffer, offset + 1, offset + length);
        _count = (int)header.ReadUVarint();
        Timestamp = header.ReadVarint();
        if (_count > 1)
        {
            _minDelta = header.ReadUVarint();
            _timestampWidth = (int)header.ReadBits(8);
        }
        _exponent = (int)header.ReadBits(8);
        _differences = header.ReadBits(8) == PackedChunk.Differences;
        _base = header.ReadVarint();
        if (_differences)
        {
            _minDifference = header.ReadVarint();
        }
        _valueWidth = (int)header.ReadBits(8);
        if (_timestampWidth > 64 || _valueWidth > 64 || _exponent > PackedChunk.MaxExponent || _count < 1)
        {
            throw new InvalidDataException("packed chunk header out of range");
        }
        _timestamps = header;
        _values = header;
        _values.Skip((long)_timestampWidth * (_count - 1));
        var valueBits = (long)_valueWidth * (_differences ? _count - 1 : _count);
        if (!_values.HasBits(valueBits))
        {
            throw new InvalidDataException("packed chunk shorter than its columns");
        }
    }

    public long Timestamp { get; private set; }

    public readonly double Value => PackedChunk.Value(_mantissa, _exponent);

    public bool Next()
    {
        if (_read >= _count)
        {
            return false;
        }
        if (_read > 0)
        {
            Timestamp = (long)((ulong)Timestamp + _minDelta + _timestamps.ReadBits(_timestampWidth));
        }
        if (!_differences)
        {
            _mantissa = _base + (long)_values.ReadBits(_valueWidth);
        }
        else if (_read == 0)
        {
            _mantissa = _base;
        }
        else
        {
            _mantissa += _minDifference + (long)_values.ReadBits(_valueWidth);
        }
        _read++;
        return true;
    }
}
