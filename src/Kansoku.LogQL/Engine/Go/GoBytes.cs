using System.Text;

namespace Kansoku.LogQL.Engine.Go;

/// <summary>
/// go-humanize's <c>ParseBytes</c>, which Loki applies to label values (<c>| size &gt; 10KB</c>,
/// <c>unwrap bytes(x)</c>): a number (commas ignored) and an optional case-insensitive SI or IEC unit.
/// </summary>
internal static class GoBytes
{
    public static bool TryParse(string text, out ulong value, out string? error)
    {
        value = 0;
        var numberEnd = 0;
        var hasComma = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!(Rune.IsDigit(rune) || rune.Value is '.' or ','))
            {
                break;
            }
            hasComma |= rune.Value == ',';
            numberEnd += rune.Utf16SequenceLength;
        }
        var number = text[..numberEnd];
        if (hasComma)
        {
            number = number.Replace(",", "", StringComparison.Ordinal);
        }
        if (!GoFloats.TryParse(number, out var parsed, out error))
        {
            return false;
        }
        var unit = text[numberEnd..].Trim().ToLowerInvariant();
        var multiplier = Multiplier(unit);
        if (multiplier == 0)
        {
            error = $"unhandled size name: {unit}";
            return false;
        }
        var bytes = parsed * multiplier;
        if (bytes >= ulong.MaxValue)
        {
            error = $"too large: {text}";
            return false;
        }
        value = (ulong)bytes;
        return true;
    }

    private static double Multiplier(string unit) => unit switch
    {
        "" or "b" => 1,
        "k" or "kb" => 1e3,
        "ki" or "kib" => 1024d,
        "m" or "mb" => 1e6,
        "mi" or "mib" => Math.Pow(1024, 2),
        "g" or "gb" => 1e9,
        "gi" or "gib" => Math.Pow(1024, 3),
        "t" or "tb" => 1e12,
        "ti" or "tib" => Math.Pow(1024, 4),
        "p" or "pb" => 1e15,
        "pi" or "pib" => Math.Pow(1024, 5),
        "e" or "eb" => 1e18,
        "ei" or "eib" => Math.Pow(1024, 6),
        _ => 0,
    };
}
