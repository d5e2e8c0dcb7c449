using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Kansoku.Bench.Loadgen;

/// <summary>A CRI container log line: <c>&lt;RFC 3339 time&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;message&gt;</c>.</summary>
internal readonly ref struct CriLine
{
    private static readonly long s_unixEpochTicks = DateTime.UnixEpoch.Ticks;

    public long UnixNano { get; init; }

    public bool Stderr { get; init; }

    /// <summary>P: the runtime split a long line; the rest follows in the next lines of the same stream.</summary>
    public bool Partial { get; init; }

    public ReadOnlySpan<byte> Message { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> line, out CriLine parsed)
    {
        parsed = default;
        var space = line.IndexOf((byte)' ');
        if (space < 0 || !TryParseTime(line[..space], out var unixNano))
        {
            return false;
        }
        var rest = line[(space + 1)..];
        var stderr = rest.StartsWith("stderr "u8);
        if (!stderr && !rest.StartsWith("stdout "u8))
        {
            return false;
        }
        rest = rest[7..];
        if (rest.Length < 1 || (rest[0] != (byte)'P' && rest[0] != (byte)'F') || (rest.Length > 1 && rest[1] != (byte)' '))
        {
            return false;
        }
        parsed = new CriLine
        {
            UnixNano = unixNano,
            Stderr = stderr,
            Partial = rest[0] == (byte)'P',
            Message = rest.Length > 1 ? rest[2..] : [],
        };
        return true;
    }

    /// <summary>
    /// The kubelet's form, <c>2026-11-24T08:00:00.123456789Z</c>, by fixed positions; any other RFC 3339 time by
    /// <see cref="DateTimeOffset.TryParse(string?, IFormatProvider?, DateTimeStyles, out DateTimeOffset)"/>.
    /// </summary>
    private static bool TryParseTime(ReadOnlySpan<byte> text, out long unixNano)
    {
        unixNano = 0;
        if (text.Length >= 20 && text[^1] == (byte)'Z' && text[10] == (byte)'T'
            && Digits(text, 0, 4, out var year) && Digits(text, 5, 2, out var month) && Digits(text, 8, 2, out var day)
            && Digits(text, 11, 2, out var hour) && Digits(text, 14, 2, out var minute) && Digits(text, 17, 2, out var second))
        {
            long fraction = 0;
            if (text.Length > 20)
            {
                var digits = text[20..^1];
                if (text[19] != (byte)'.' || digits.Length is 0 or > 9 || !Utf8Parser.TryParse(digits, out fraction, out var used) || used != digits.Length)
                {
                    return false;
                }
                for (var i = digits.Length; i < 9; i++)
                {
                    fraction *= 10;
                }
            }
            var time = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
            unixNano = ((time.Ticks - s_unixEpochTicks) * 100) + fraction;
            return true;
        }
        if (!DateTimeOffset.TryParse(Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }
        unixNano = (parsed.UtcTicks - s_unixEpochTicks) * 100;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value) =>
        Utf8Parser.TryParse(text.Slice(start, count), out value, out var used) && used == count;
}
