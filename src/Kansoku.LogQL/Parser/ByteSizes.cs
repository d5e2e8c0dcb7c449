using System.Globalization;

namespace Kansoku.LogQL.Parser;

/// <summary>
/// Byte sizes as Loki reads them (go-humanize ParseBytes): a decimal number and a case-insensitive unit, SI
/// (<c>KB</c>/<c>k</c> = 1000) or IEC (<c>KiB</c>/<c>Ki</c> = 1024), up to peta.
/// </summary>
internal static class ByteSizes
{
    public static bool TryParse(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        var numberEnd = 0;
        while (numberEnd < text.Length && (char.IsAsciiDigit(text[numberEnd]) || text[numberEnd] == '.'))
        {
            numberEnd++;
        }
        if (!double.TryParse(text[..numberEnd], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        var multiplier = Multiplier(text[numberEnd..].Trim());
        if (multiplier == 0)
        {
            return false;
        }
        var bytes = number * multiplier;
        if (bytes >= 18446744073709551615d)
        {
            return false;
        }
        value = (ulong)bytes;
        return true;
    }

    /// <summary>Exact and short: the largest unit that divides the value (<c>10KB</c>, <c>5MiB</c>), else bytes (<c>1500B</c>).</summary>
    public static string Format(ulong value)
    {
        ReadOnlySpan<(string Unit, ulong Multiplier)> units =
        [
            ("PiB", 1UL << 50), ("PB", 1_000_000_000_000_000UL), ("TiB", 1UL << 40), ("TB", 1_000_000_000_000UL),
            ("GiB", 1UL << 30), ("GB", 1_000_000_000UL), ("MiB", 1UL << 20), ("MB", 1_000_000UL), ("KiB", 1UL << 10), ("KB", 1_000UL),
        ];
        if (value != 0)
        {
            foreach (var (unit, multiplier) in units)
            {
                if (value % multiplier == 0)
                {
                    return (value / multiplier).ToString(CultureInfo.InvariantCulture) + unit;
                }
            }
        }
        return value.ToString(CultureInfo.InvariantCulture) + "B";
    }

    /// <summary>Whether <paramref name="c"/> can appear in a byte unit (Loki's isBytesSizeRune).</summary>
    public static bool IsUnitChar(char c) => c is 'B' or 'i' or 'k' or 'K' or 'M' or 'G' or 'T' or 'P';

    private static double Multiplier(ReadOnlySpan<char> unit)
    {
        Span<char> lower = stackalloc char[4];
        if (unit.Length > lower.Length)
        {
            return 0;
        }
        var length = unit.ToLowerInvariant(lower);
        return lower[..length] switch
        {
            "" or "b" => 1,
            "k" or "kb" => 1e3,
            "ki" or "kib" => 1024d,
            "m" or "mb" => 1e6,
            "mi" or "mib" => 1024d * 1024,
            "g" or "gb" => 1e9,
            "gi" or "gib" => 1024d * 1024 * 1024,
            "t" or "tb" => 1e12,
            "ti" or "tib" => 1024d * 1024 * 1024 * 1024,
            "p" or "pb" => 1e15,
            "pi" or "pib" => 1024d * 1024 * 1024 * 1024 * 1024,
            _ => 0,
        };
    }
}
