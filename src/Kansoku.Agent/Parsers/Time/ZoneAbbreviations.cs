namespace Kansoku.Agent.Parsers.Time;

/// <summary>
/// Offsets of time zone abbreviations that mean one thing. Ambiguous ones (CST: China or US Central; IST: India,
/// Ireland or Israel; BST) and unknown ones read as UTC, so a time never shifts by a guess.
/// </summary>
internal static class ZoneAbbreviations
{
    public static int OffsetSeconds(ReadOnlySpan<byte> abbreviation)
    {
        Span<char> upper = stackalloc char[6];
        var length = Math.Min(abbreviation.Length, upper.Length);
        for (var i = 0; i < length; i++)
        {
            upper[i] = (char)(abbreviation[i] & ~0x20);
        }
        var hours = upper[..length] switch
        {
            "EST" => -5.0,
            "EDT" => -4.0,
            "CDT" => -5.0,
            "MST" => -7.0,
            "MDT" => -6.0,
            "PST" => -8.0,
            "PDT" => -7.0,
            "AKST" => -9.0,
            "AKDT" => -8.0,
            "HST" => -10.0,
            "WET" => 0.0,
            "WEST" => 1.0,
            "CET" => 1.0,
            "CEST" => 2.0,
            "EET" => 2.0,
            "EEST" => 3.0,
            "MSK" => 3.0,
            "HKT" => 8.0,
            "SGT" => 8.0,
            "AWST" => 8.0,
            "JST" => 9.0,
            "KST" => 9.0,
            "ACST" => 9.5,
            "AEST" => 10.0,
            "AEDT" => 11.0,
            "NZST" => 12.0,
            "NZDT" => 13.0,
            _ => 0.0,
        };
        return (int)(hours * 3600);
    }
}
