using System.Globalization;
using System.Text;
using Kansoku.LogQL.Engine.Go;

namespace Kansoku.LogQL.Engine.Templates;

/// <summary>
/// How template values behave like Go values: strings, integers (long), floats (double), bools, times, nil, and the maps
/// and slices <c>fromJson</c> returns. Printing, truth, Go type names, and sprig's lenient number casts.
/// </summary>
internal static class TemplateValues
{
    /// <summary>What text/template prints for a value (<c>fmt.Fprint</c>; nil prints <c>&lt;no value&gt;</c>).</summary>
    public static string Print(object? value) => value is null ? "<no value>" : Sprint(value);

    /// <summary><c>fmt.Sprint</c> of one value.</summary>
    public static string Sprint(object? value) => value switch
    {
        null => "<nil>",
        string text => text,
        long number => number.ToString(CultureInfo.InvariantCulture),
        double number => GoFloats.FormatG(number),
        bool flag => flag ? "true" : "false",
        GoTime time => time.ToString(),
        IDictionary<string, object?> map => PrintMap(map),
        IList<object?> list => PrintList(list),
        _ => value.ToString() ?? "",
    };

    /// <summary>Go's truth for <c>if</c>, <c>and</c>, <c>or</c>, <c>not</c>: false, 0, nil and empty strings and collections are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        string text => text.Length > 0,
        long number => number != 0,
        double number => number != 0,
        bool flag => flag,
        IDictionary<string, object?> map => map.Count > 0,
        IList<object?> list => list.Count > 0,
        _ => true,
    };

    public static string TypeName(object? value) => value switch
    {
        null => "<nil>",
        string => "string",
        long => "int",
        double => "float64",
        bool => "bool",
        GoTime => "time.Time",
        IDictionary<string, object?> => "map[string]interface {}",
        IList<object?> => "[]interface {}",
        _ => value.GetType().Name,
    };

    /// <summary>spf13/cast's <c>ToInt64</c> (what sprig's math uses): numbers truncate, strings parse (base prefixes allowed), else 0.</summary>
    public static long ToInt64(object? value) => value switch
    {
        long number => number,
        double number => double.IsFinite(number) ? (long)number : 0,
        bool flag => flag ? 1 : 0,
        string text => ParseInt(text),
        _ => 0,
    };

    /// <summary>spf13/cast's <c>ToFloat64</c>: numbers as they are, strings parsed, else 0.</summary>
    public static double ToFloat64(object? value) => value switch
    {
        long number => number,
        double number => number,
        bool flag => flag ? 1 : 0,
        string text => GoFloats.TryParse(text, out var number, out _) ? number : 0,
        _ => 0,
    };

    private static long ParseInt(string text)
    {
        // cast trims a zero decimal part ("12.0" is 12) before strconv.ParseInt(s, 0, 0).
        var trimmed = text;
        var point = trimmed.IndexOf('.', StringComparison.Ordinal);
        if (point >= 0 && trimmed.AsSpan(point + 1).TrimStart('0').IsEmpty)
        {
            trimmed = trimmed[..point];
        }
        var negative = trimmed.StartsWith('-');
        var body = trimmed.TrimStart('+', '-');
        var (digits, radix) = body switch
        {
            _ when body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) => (body[2..], 16),
            _ when body.StartsWith("0b", StringComparison.OrdinalIgnoreCase) => (body[2..], 2),
            _ when body.StartsWith("0o", StringComparison.OrdinalIgnoreCase) => (body[2..], 8),
            _ when body.Length > 1 && body[0] == '0' => (body[1..], 8),
            _ => (body, 10),
        };
        if (digits.Length == 0)
        {
            return 0;
        }
        try
        {
            var value = Convert.ToInt64(digits, radix);
            return negative ? -value : value;
        }
        catch (FormatException)
        {
            return 0;
        }
        catch (OverflowException)
        {
            return 0;
        }
        catch (ArgumentException)
        {
            return 0;
        }
    }

    private static string PrintMap(IDictionary<string, object?> map)
    {
        var text = new StringBuilder("map[");
        var first = true;
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            if (!first)
            {
                text.Append(' ');
            }
            first = false;
            text.Append(key).Append(':').Append(Sprint(map[key]));
        }
        return text.Append(']').ToString();
    }

    private static string PrintList(IList<object?> list)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }
            text.Append(Sprint(list[i]));
        }
        return text.Append(']').ToString();
    }
}
