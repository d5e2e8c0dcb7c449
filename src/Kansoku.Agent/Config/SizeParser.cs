using System.Globalization;

namespace Kansoku.Agent.Config;

internal static class SizeParser
{
    public static long Parse(ConfigProperty property)
    {
        var text = property.Value.Trim();
        var end = text.Length;
        while (end > 0 && char.IsLetter(text[end - 1]))
        {
            end--;
        }
        var unit = text[end..].ToUpperInvariant();
        long multiplier = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => 0,
        };
        if (multiplier == 0 || !double.TryParse(text[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0)
        {
            throw new ConfigException(property.Location, property.Key, $"expected a size such as 512K, 50MB or 1G, got '{property.Value}'");
        }
        return (long)(number * multiplier);
    }

    public static TimeSpan ParseDuration(ConfigProperty property)
    {
        var text = property.Value.Trim();
        var end = text.Length;
        while (end > 0 && char.IsLetter(text[end - 1]))
        {
            end--;
        }
        var unit = text[end..].ToLowerInvariant();
        double seconds = unit switch
        {
            "" or "s" => 1,
            "ms" => 0.001,
            "m" => 60,
            "h" => 3600,
            _ => -1,
        };
        if (seconds < 0 || !double.TryParse(text[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0)
        {
            throw new ConfigException(property.Location, property.Key, $"expected a duration such as 5, 500ms, 10s or 2m, got '{property.Value}'");
        }
        return TimeSpan.FromSeconds(number * seconds);
    }
}
