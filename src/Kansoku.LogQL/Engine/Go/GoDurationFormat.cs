using System.Globalization;
using System.Text;

namespace Kansoku.LogQL.Engine.Go;

/// <summary>Go's <c>Duration.String()</c> (<c>1m0s</c>, <c>1.5s</c>, <c>300ms</c>), for messages that quote limits.</summary>
internal static class GoDurationFormat
{
    public static string Format(TimeSpan value)
    {
        var nanos = value.Ticks * 100;
        if (nanos == 0)
        {
            return "0s";
        }
        var text = new StringBuilder();
        if (nanos < 0)
        {
            text.Append('-');
            nanos = -nanos;
        }
        if (nanos < 1_000_000_000)
        {
            var (unit, size) = nanos switch
            {
                < 1_000 => ("ns", 1L),
                < 1_000_000 => ("µs", 1_000L),
                _ => ("ms", 1_000_000L),
            };
            return text.Append(Fraction(nanos, size)).Append(unit).ToString();
        }
        var hours = nanos / 3_600_000_000_000;
        nanos %= 3_600_000_000_000;
        var minutes = nanos / 60_000_000_000;
        nanos %= 60_000_000_000;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }
        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }
        return text.Append(Fraction(nanos, 1_000_000_000)).Append('s').ToString();
    }

    private static string Fraction(long value, long unit)
    {
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        var rest = value % unit;
        if (rest == 0)
        {
            return whole;
        }
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}
