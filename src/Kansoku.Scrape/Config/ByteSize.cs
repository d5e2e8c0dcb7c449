using System.Globalization;

namespace Kansoku.Scrape.Config;

/// <summary>
/// Byte sizes as Prometheus reads them (alecthomas/units Base2Bytes): a number and a unit, B, KB/KiB, MB/MiB, GB/GiB,
/// TB/TiB, PB/PiB, EB/EiB, all powers of 1024; parts may follow each other (<c>1GB512MB</c>); <c>0</c> alone is zero.
/// </summary>
internal static class ByteSize
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        if (text == "0")
        {
            return true;
        }
        var position = 0;
        double total = 0;
        while (position < text.Length)
        {
            var numberEnd = position;
            while (numberEnd < text.Length && (char.IsAsciiDigit(text[numberEnd]) || text[numberEnd] == '.'))
            {
                numberEnd++;
            }
            var unitEnd = numberEnd;
            while (unitEnd < text.Length && char.IsAsciiLetter(text[unitEnd]))
            {
                unitEnd++;
            }
            if (!double.TryParse(text.AsSpan(position, numberEnd - position), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                || Multiplier(text.AsSpan(numberEnd, unitEnd - numberEnd)) is not { } multiplier)
            {
                return false;
            }
            total += number * multiplier;
            position = unitEnd;
        }
        if (position == 0 || total >= long.MaxValue)
        {
            return false;
        }
        bytes = (long)total;
        return true;
    }

    private static double? Multiplier(ReadOnlySpan<char> unit)
    {
        if (unit.SequenceEqual("B"))
        {
            return 1;
        }
        var power = unit.Length is 2 or 3 ? "KMGTPE".IndexOf(unit[0]) + 1 : 0;
        var suffixOk = unit.Length == 2 ? unit[1] == 'B' : unit.Length == 3 && unit[1] == 'i' && unit[2] == 'B';
        return power > 0 && suffixOk ? Math.Pow(1024, power) : null;
    }
}
