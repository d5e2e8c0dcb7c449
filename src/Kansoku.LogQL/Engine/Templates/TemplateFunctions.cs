using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kansoku.LogQL.Engine.Go;
using Kansoku.LogQL.Parser;
using Kansoku.Core.Time;

namespace Kansoku.LogQL.Engine.Templates;

/// <summary>
/// The functions Loki offers in <c>line_format</c> and <c>label_format</c> templates: Go's built-ins, Loki's own
/// (<c>ToUpper</c>, <c>regexReplaceAll</c>, <c>unixToTime</c>, <c>__line__</c>...) and the sprig subset Loki exposes
/// (<c>lower</c>, <c>trunc</c>, <c>addf</c>, <c>date</c>, <c>default</c>...), with Go's argument types and results.
/// </summary>
internal static class TemplateFunctions
{
    private const int MaxCachedRegexes = 256;

    private static readonly ConcurrentDictionary<string, Regex?> s_regexes = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, TemplateFunction> s_functions = new(StringComparer.Ordinal)
    {
        // Go's text/template built-ins ("and" and "or" short-circuit in the executor).
        ["and"] = (_, args) => args.Length == 0 ? null : args[^1],
        ["or"] = (_, args) => args.Length == 0 ? null : args[^1],
        ["not"] = (_, args) => { Count(args, 1, "not"); return !TemplateValues.IsTrue(args[0]); },
        ["len"] = (_, args) => { Count(args, 1, "len"); return Length(args[0]); },
        ["index"] = (_, args) => Index(args),
        ["print"] = (_, args) => Sprint(args),
        ["println"] = (_, args) => Sprintln(args),
        ["printf"] = (_, args) => { AtLeast(args, 1, "printf"); return GoFormat.Sprintf(Str(args, 0), args[1..]); },
        ["eq"] = (_, args) => Equal(args),
        ["ne"] = (_, args) => { Count(args, 2, "ne"); return !Equal(args); },
        ["lt"] = (_, args) => { Count(args, 2, "lt"); return Order(args[0], args[1]) < 0; },
        ["le"] = (_, args) => { Count(args, 2, "le"); return Order(args[0], args[1]) <= 0; },
        ["gt"] = (_, args) => { Count(args, 2, "gt"); return Order(args[0], args[1]) > 0; },
        ["ge"] = (_, args) => { Count(args, 2, "ge"); return Order(args[0], args[1]) >= 0; },
        ["html"] = (_, args) => System.Net.WebUtility.HtmlEncode(Sprint(args)),
        ["urlquery"] = (_, args) => QueryEscape(Sprint(args)),
        ["slice"] = (_, args) => Slice(args),

        // Loki's own.
        ["ToLower"] = (_, args) => { Count(args, 1, "ToLower"); return Str(args, 0).ToLowerInvariant(); },
        ["ToUpper"] = (_, args) => { Count(args, 1, "ToUpper"); return Str(args, 0).ToUpperInvariant(); },
        ["Replace"] = (_, args) => { Count(args, 4, "Replace"); return Replace(Str(args, 0), Str(args, 1), Str(args, 2), Int(args, 3)); },
        ["Trim"] = (_, args) => { Count(args, 2, "Trim"); return Str(args, 0).Trim(Str(args, 1).ToCharArray()); },
        ["TrimLeft"] = (_, args) => { Count(args, 2, "TrimLeft"); return Str(args, 0).TrimStart(Str(args, 1).ToCharArray()); },
        ["TrimRight"] = (_, args) => { Count(args, 2, "TrimRight"); return Str(args, 0).TrimEnd(Str(args, 1).ToCharArray()); },
        ["TrimPrefix"] = (_, args) => { Count(args, 2, "TrimPrefix"); return TrimPrefix(Str(args, 0), Str(args, 1)); },
        ["TrimSuffix"] = (_, args) => { Count(args, 2, "TrimSuffix"); return TrimSuffix(Str(args, 0), Str(args, 1)); },
        ["TrimSpace"] = (_, args) => { Count(args, 1, "TrimSpace"); return Str(args, 0).Trim(); },
        ["regexReplaceAll"] = (_, args) =>
        {
            Count(args, 3, "regexReplaceAll");
            var replacement = Str(args, 2);
            return CompileRegex("regexReplaceAll", Str(args, 0)).Replace(Str(args, 1), match => GoRegexExpand.Expand(replacement, match));
        },
        ["regexReplaceAllLiteral"] = (_, args) =>
        {
            Count(args, 3, "regexReplaceAllLiteral");
            var replacement = Str(args, 2);
            return CompileRegex("regexReplaceAllLiteral", Str(args, 0)).Replace(Str(args, 1), _ => replacement);
        },
        ["count"] = (_, args) => { Count(args, 2, "count"); return (long)CompileRegex("count", Str(args, 0)).Count(Str(args, 1)); },
        ["urldecode"] = (_, args) => { Count(args, 1, "urldecode"); return QueryUnescape(Str(args, 0)); },
        ["urlencode"] = (_, args) => { Count(args, 1, "urlencode"); return QueryEscape(Str(args, 0)); },
        ["bytes"] = (_, args) => { Count(args, 1, "bytes"); return ParseBytes("bytes", Str(args, 0)); },
        ["duration"] = (_, args) => { Count(args, 1, "duration"); return ParseDuration("duration", Str(args, 0)); },
        ["duration_seconds"] = (_, args) => { Count(args, 1, "duration_seconds"); return ParseDuration("duration_seconds", Str(args, 0)); },
        ["unixEpochMillis"] = (_, args) => { Count(args, 1, "unixEpochMillis"); return Time(args, 0).UnixMillis.ToString(CultureInfo.InvariantCulture); },
        ["unixEpochNanos"] = (_, args) => { Count(args, 1, "unixEpochNanos"); return Time(args, 0).UnixNanos.ToString(CultureInfo.InvariantCulture); },
        ["toDateInZone"] = (_, args) => { Count(args, 3, "toDateInZone"); return ParseTime(Str(args, 0), Str(args, 2), Zone(Str(args, 1))); },
        ["unixToTime"] = (_, args) => { Count(args, 1, "unixToTime"); return UnixToTime(Str(args, 0)); },
        ["alignLeft"] = (_, args) => { Count(args, 2, "alignLeft"); return Align(Int(args, 0), Str(args, 1), left: true); },
        ["alignRight"] = (_, args) => { Count(args, 2, "alignRight"); return Align(Int(args, 0), Str(args, 1), left: false); },
        ["b64dec"] = (_, args) => { Count(args, 1, "b64dec"); return Base64Decode(Str(args, 0)); },
        ["__line__"] = (context, args) => { Count(args, 0, "__line__"); return context.Line; },
        ["__timestamp__"] = (context, args) => { Count(args, 0, "__timestamp__"); return GoTime.FromUnixNanos(context.TimestampUnixNano); },

        // sprig.
        ["b64enc"] = (_, args) => { Count(args, 1, "b64enc"); return Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(args, 0))); },
        ["lower"] = (_, args) => { Count(args, 1, "lower"); return Str(args, 0).ToLowerInvariant(); },
        ["upper"] = (_, args) => { Count(args, 1, "upper"); return Str(args, 0).ToUpperInvariant(); },
        ["title"] = (_, args) => { Count(args, 1, "title"); return Title(Str(args, 0)); },
        ["trunc"] = (_, args) => { Count(args, 2, "trunc"); return Truncate(Int(args, 0), Str(args, 1)); },
        ["substr"] = (_, args) => { Count(args, 3, "substr"); return Substring(Int(args, 0), Int(args, 1), Str(args, 2)); },
        ["contains"] = (_, args) => { Count(args, 2, "contains"); return Str(args, 1).Contains(Str(args, 0), StringComparison.Ordinal); },
        ["hasPrefix"] = (_, args) => { Count(args, 2, "hasPrefix"); return Str(args, 1).StartsWith(Str(args, 0), StringComparison.Ordinal); },
        ["hasSuffix"] = (_, args) => { Count(args, 2, "hasSuffix"); return Str(args, 1).EndsWith(Str(args, 0), StringComparison.Ordinal); },
        ["indent"] = (_, args) => { Count(args, 2, "indent"); return Indent(Int(args, 0), Str(args, 1)); },
        ["nindent"] = (_, args) => { Count(args, 2, "nindent"); return "\n" + Indent(Int(args, 0), Str(args, 1)); },
        ["replace"] = (_, args) => { Count(args, 3, "replace"); return Replace(Str(args, 2), Str(args, 0), Str(args, 1), -1); },
        ["repeat"] = (_, args) => { Count(args, 2, "repeat"); return Repeat(Int(args, 0), Str(args, 1)); },
        ["trim"] = (_, args) => { Count(args, 1, "trim"); return Str(args, 0).Trim(); },
        ["trimAll"] = (_, args) => { Count(args, 2, "trimAll"); return Str(args, 1).Trim(Str(args, 0).ToCharArray()); },
        ["trimSuffix"] = (_, args) => { Count(args, 2, "trimSuffix"); return TrimSuffix(Str(args, 1), Str(args, 0)); },
        ["trimPrefix"] = (_, args) => { Count(args, 2, "trimPrefix"); return TrimPrefix(Str(args, 1), Str(args, 0)); },
        ["int"] = (_, args) => { Count(args, 1, "int"); return TemplateValues.ToInt64(args[0]); },
        ["float64"] = (_, args) => { Count(args, 1, "float64"); return TemplateValues.ToFloat64(args[0]); },
        ["add"] = (_, args) => FoldInt64(0, args, (a, b) => a + b),
        ["sub"] = (_, args) => { Count(args, 2, "sub"); return TemplateValues.ToInt64(args[0]) - TemplateValues.ToInt64(args[1]); },
        ["mul"] = (_, args) => { AtLeast(args, 1, "mul"); return FoldInt64(1, args, (a, b) => a * b); },
        ["div"] = (_, args) => { Count(args, 2, "div"); return IntegerDivide("div", args, remainder: false); },
        ["mod"] = (_, args) => { Count(args, 2, "mod"); return IntegerDivide("mod", args, remainder: true); },
        ["addf"] = (_, args) => DecimalFold(0d, args, (a, b) => a + b),
        ["subf"] = (_, args) => { AtLeast(args, 1, "subf"); return DecimalFold(TemplateValues.ToFloat64(args[0]), args.AsSpan(1), (a, b) => a - b); },
        ["mulf"] = (_, args) => { AtLeast(args, 1, "mulf"); return DecimalFold(TemplateValues.ToFloat64(args[0]), args.AsSpan(1), (a, b) => a * b); },
        ["divf"] = (_, args) =>
        {
            AtLeast(args, 1, "divf");
            return DecimalFold(TemplateValues.ToFloat64(args[0]), args.AsSpan(1), (a, b) =>
                b == 0 ? throw new TemplateException("error calling divf: decimal division by 0") : Math.Round(a / b, 16, MidpointRounding.AwayFromZero));
        },
        ["max"] = (_, args) => { AtLeast(args, 1, "max"); return FoldInt64(TemplateValues.ToInt64(args[0]), args, Math.Max); },
        ["min"] = (_, args) => { AtLeast(args, 1, "min"); return FoldInt64(TemplateValues.ToInt64(args[0]), args, Math.Min); },
        ["maxf"] = (_, args) => { AtLeast(args, 1, "maxf"); return FoldFloat64(args, Math.Max); },
        ["minf"] = (_, args) => { AtLeast(args, 1, "minf"); return FoldFloat64(args, Math.Min); },
        ["ceil"] = (_, args) => { Count(args, 1, "ceil"); return Math.Ceiling(TemplateValues.ToFloat64(args[0])); },
        ["floor"] = (_, args) => { Count(args, 1, "floor"); return Math.Floor(TemplateValues.ToFloat64(args[0])); },
        ["round"] = (_, args) => Round(args),
        ["fromJson"] = (_, args) => { Count(args, 1, "fromJson"); return FromJson(Str(args, 0)); },
        ["date"] = (context, args) => { Count(args, 2, "date"); return GoTimeLayout.Format(DateArgument(context, args[1]), Str(args, 0)); },
        ["toDate"] = (_, args) => { Count(args, 2, "toDate"); return ParseTime(Str(args, 0), Str(args, 1), TimeZoneInfo.Utc); },
        ["now"] = (context, args) => { Count(args, 0, "now"); return GoTime.FromUnixNanos(Now(context)); },
        ["unixEpoch"] = (_, args) => { Count(args, 1, "unixEpoch"); return Time(args, 0).UnixSeconds.ToString(CultureInfo.InvariantCulture); },
        ["default"] = (_, args) =>
        {
            AtLeast(args, 1, "default");
            return args.Length > 1 && TemplateValues.IsTrue(args[1]) ? args[1] : args[0];
        },
    };

    public static bool IsDefined(string name) => s_functions.ContainsKey(name);

    public static TemplateFunction Get(string name) => s_functions[name];

    private static void Count(object?[] args, int expected, string name)
    {
        if (args.Length != expected)
        {
            throw new TemplateException($"wrong number of args for {name}: want {expected} got {args.Length}");
        }
    }

    private static void AtLeast(object?[] args, int expected, string name)
    {
        if (args.Length < expected)
        {
            throw new TemplateException($"wrong number of args for {name}: want at least {expected} got {args.Length}");
        }
    }

    private static string Str(object?[] args, int index) =>
        args[index] as string ?? throw WrongType("string", args[index]);

    private static int Int(object?[] args, int index) =>
        args[index] is long value ? (int)value : throw WrongType("int", args[index]);

    private static GoTime Time(object?[] args, int index) =>
        args[index] is GoTime value ? value : throw WrongType("time.Time", args[index]);

    private static TemplateException WrongType(string expected, object? value) =>
        new($"wrong type for value; expected {expected}; got {TemplateValues.TypeName(value)}");

    private static string Sprint(object?[] args)
    {
        // fmt.Sprint puts a space between operands when neither is a string.
        var text = new StringBuilder();
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                text.Append(' ');
            }
            text.Append(TemplateValues.Sprint(args[i]));
        }
        return text.ToString();
    }

    private static string Sprintln(object?[] args)
    {
        var text = new StringBuilder();
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }
            text.Append(TemplateValues.Sprint(args[i]));
        }
        return text.Append('\n').ToString();
    }

    private static long FoldInt64(long seed, object?[] args, Func<long, long, long> operation)
    {
        var result = seed;
        foreach (var arg in args)
        {
            result = operation(result, TemplateValues.ToInt64(arg));
        }
        return result;
    }

    private static double FoldFloat64(object?[] args, Func<double, double, double> operation)
    {
        var result = TemplateValues.ToFloat64(args[0]);
        for (var i = 1; i < args.Length; i++)
        {
            result = operation(result, TemplateValues.ToFloat64(args[i]));
        }
        return result;
    }

    private static long Length(object? value) => value switch
    {
        string text => Encoding.UTF8.GetByteCount(text),
        IList<object?> list => list.Count,
        IDictionary<string, object?> map => map.Count,
        _ => throw new TemplateException($"error calling len: len of type {TemplateValues.TypeName(value)}"),
    };

    private static object? Index(object?[] args)
    {
        AtLeast(args, 1, "index");
        var current = args[0];
        foreach (var key in args.AsSpan(1))
        {
            current = current switch
            {
                IDictionary<string, object?> map when key is string name => map.TryGetValue(name, out var value) ? value : null,
                IList<object?> list when key is long position && position >= 0 && position < list.Count => list[(int)position],
                string text when key is long position && position >= 0 && position < Encoding.UTF8.GetByteCount(text) =>
                    (long)Encoding.UTF8.GetBytes(text)[position],
                _ => throw new TemplateException($"error calling index: cannot index {TemplateValues.TypeName(current)} with {TemplateValues.TypeName(key)}"),
            };
        }
        return current;
    }

    private static object? Slice(object?[] args)
    {
        AtLeast(args, 1, "slice");
        var indexes = args[1..].Select(a => a is long l ? (int)l : throw WrongType("int", a)).ToArray();
        switch (args[0])
        {
            case string text:
                var bytes = Encoding.UTF8.GetBytes(text);
                var (start, end) = SliceBounds(indexes, bytes.Length);
                return Encoding.UTF8.GetString(bytes, start, end - start);
            case IList<object?> list:
                var (from, to) = SliceBounds(indexes, list.Count);
                return list.Skip(from).Take(to - from).ToList();
            default:
                throw new TemplateException($"error calling slice: can't slice item of type {TemplateValues.TypeName(args[0])}");
        }
    }

    private static (int Start, int End) SliceBounds(int[] indexes, int length)
    {
        var start = indexes.Length > 0 ? indexes[0] : 0;
        var end = indexes.Length > 1 ? indexes[1] : length;
        if (start < 0 || end < start || end > length)
        {
            throw new TemplateException($"error calling slice: index out of range: {start}");
        }
        return (start, end);
    }

    private static bool Equal(object?[] args)
    {
        if (args.Length < 2)
        {
            throw new TemplateException("error calling eq: missing argument for comparison");
        }
        foreach (var other in args.AsSpan(1))
        {
            if (Comparable(args[0], other) is 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>0 when equal; throws Go's error for incomparable kinds.</summary>
    private static int? Comparable(object? left, object? right) => (left, right) switch
    {
        (null, null) => 0,
        (bool a, bool b) => a == b ? 0 : 1,
        (GoTime a, GoTime b) => a.UnixSeconds == b.UnixSeconds && a.Nanosecond == b.Nanosecond ? 0 : 1,
        _ => Order(left, right),
    };

    private static int Order(object? left, object? right) => (left, right) switch
    {
        (long a, long b) => a.CompareTo(b),
        (double a, double b) => a < b ? -1 : a > b ? 1 : a == b ? 0 : 2,
        (string a, string b) => string.CompareOrdinal(a, b),
        (long or double or string, long or double or string) => throw new TemplateException("error calling compare: incompatible types for comparison"),
        _ => throw new TemplateException("error calling compare: invalid type for comparison"),
    };

    /// <summary>Go's strings.Replace: <paramref name="count"/> &lt; 0 replaces all; an empty old string inserts between runes.</summary>
    private static string Replace(string text, string old, string replacement, int count)
    {
        if (count == 0 || (old.Length == 0 && replacement.Length == 0))
        {
            return text;
        }
        var result = new StringBuilder();
        var done = 0;
        var i = 0;
        if (old.Length == 0)
        {
            foreach (var rune in text.EnumerateRunes())
            {
                if (count < 0 || done < count)
                {
                    result.Append(replacement);
                    done++;
                }
                result.Append(rune.ToString());
            }
            if (count < 0 || done < count)
            {
                result.Append(replacement);
            }
            return result.ToString();
        }
        while (count < 0 || done < count)
        {
            var found = text.IndexOf(old, i, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }
            result.Append(text, i, found - i).Append(replacement);
            i = found + old.Length;
            done++;
        }
        return result.Append(text, i, text.Length - i).ToString();
    }

    private static string TrimPrefix(string text, string prefix) =>
        prefix.Length > 0 && text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;

    private static string TrimSuffix(string text, string suffix) =>
        suffix.Length > 0 && text.EndsWith(suffix, StringComparison.Ordinal) ? text[..^suffix.Length] : text;

    private static Regex CompileRegex(string function, string pattern)
    {
        var regex = s_regexes.TryGetValue(pattern, out var cached) ? cached : null;
        if (regex is null)
        {
            try
            {
                regex = GoRegex.Compile(pattern, anchored: false);
            }
            catch (ArgumentException e)
            {
                throw new TemplateException($"error calling {function}: error parsing regexp: {e.Message}");
            }
            if (s_regexes.Count < MaxCachedRegexes)
            {
                s_regexes[pattern] = regex;
            }
        }
        return regex;
    }

    private static string QueryEscape(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                result.Append((char)b);
            }
            else if (b == ' ')
            {
                result.Append('+');
            }
            else
            {
                result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return result.ToString();
    }

    private static string QueryUnescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    var bad = text.Substring(i, Math.Min(3, text.Length - i));
                    throw new TemplateException($"error calling urldecode: invalid URL escape {GoStrings.Quote(bad)}");
                }
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static double ParseBytes(string function, string value) =>
        GoBytes.TryParse(value, out var bytes, out var error) ? bytes : throw new TemplateException($"error calling {function}: {error}");

    private static double ParseDuration(string function, string value) =>
        GoDurations.TryParse(value, out var nanos, out var error)
            ? GoDurations.Seconds(nanos)
            : throw new TemplateException($"error calling {function}: {error}");

    private static TimeZoneInfo Zone(string name)
    {
        if (name is "" or "UTC")
        {
            return TimeZoneInfo.Utc;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
        catch (InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    private static GoTime ParseTime(string layout, string value, TimeZoneInfo zone) =>
        GoTimeLayout.TryParse(layout, value, zone, out var time) ? time : GoTime.Zero;

    private static GoTime UnixToTime(string epoch)
    {
        if (!long.TryParse(epoch, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new TemplateException($"error calling unixToTime: unable to parse time '{epoch}': strconv.ParseInt: parsing {GoStrings.Quote(epoch)}: invalid syntax");
        }
        return epoch.Length switch
        {
            5 => new GoTime(value * 86400, 0, TimeZoneInfo.Utc),
            10 => new GoTime(value, 0, TimeZoneInfo.Utc),
            13 => GoTime.FromUnixNanos(value * 1_000_000),
            16 => GoTime.FromUnixNanos(value * 1_000),
            19 => GoTime.FromUnixNanos(value),
            _ => throw new TemplateException($"error calling unixToTime: unable to parse time '{epoch}': %!w(<nil>)"),
        };
    }

    private static string Align(int count, string text, bool left)
    {
        var runes = text.EnumerateRunes().ToArray();
        if (count < 0 || count == runes.Length)
        {
            return text;
        }
        var padding = count - runes.Length;
        if (padding > 0)
        {
            return left ? text + new string(' ', padding) : new string(' ', padding) + text;
        }
        var kept = left ? runes[..count] : runes[(runes.Length - count)..];
        return string.Concat(kept.Select(r => r.ToString()));
    }

    private static string Base64Decode(string value)
    {
        var remainder = value.Length % 4;
        if (remainder is not 0 and not 1)
        {
            value += new string('=', 4 - remainder);
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            return "illegal base64 data at input byte 0";
        }
    }

    private static string Title(string text)
    {
        var result = new StringBuilder(text.Length);
        var previous = new Rune(' ');
        foreach (var rune in text.EnumerateRunes())
        {
            result.Append((IsSeparator(previous) ? Rune.ToUpperInvariant(rune) : rune).ToString());
            previous = rune;
        }
        return result.ToString();
    }

    private static bool IsSeparator(Rune rune)
    {
        if (rune.Value <= 0x7F)
        {
            return !(char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value == '_');
        }
        return !Rune.IsLetter(rune) && !Rune.IsDigit(rune) && Rune.IsWhiteSpace(rune);
    }

    /// <summary>sprig's trunc works on bytes: a negative count keeps the end.</summary>
    private static string Truncate(int count, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (count < 0 && bytes.Length + count > 0)
        {
            return Encoding.UTF8.GetString(bytes, bytes.Length + count, -count);
        }
        if (count >= 0 && bytes.Length > count)
        {
            return Encoding.UTF8.GetString(bytes, 0, count);
        }
        return text;
    }

    /// <summary>sprig's substr, on bytes: a negative start means from 0, a negative or too large end means to the end.</summary>
    private static string Substring(int start, int end, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (start < 0)
        {
            start = 0;
            if (end < 0 || end > bytes.Length)
            {
                throw new TemplateException($"error calling substr: runtime error: slice bounds out of range [:{end}] with length {bytes.Length}");
            }
            return Encoding.UTF8.GetString(bytes, 0, end);
        }
        if (end < 0 || end > bytes.Length)
        {
            end = bytes.Length;
        }
        if (start > end)
        {
            throw new TemplateException($"error calling substr: runtime error: slice bounds out of range [{start}:{end}]");
        }
        return Encoding.UTF8.GetString(bytes, start, end - start);
    }

    private static string Indent(int spaces, string text)
    {
        var pad = new string(' ', Math.Max(spaces, 0));
        return pad + text.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string Repeat(int count, string text) =>
        count < 0 ? throw new TemplateException("error calling repeat: strings: negative Repeat count") : string.Concat(Enumerable.Repeat(text, count));

    private static long IntegerDivide(string function, object?[] args, bool remainder)
    {
        var left = TemplateValues.ToInt64(args[0]);
        var right = TemplateValues.ToInt64(args[1]);
        if (right == 0)
        {
            throw new TemplateException($"error calling {function}: runtime error: integer divide by zero");
        }
        return remainder ? left % right : left / right;
    }

    /// <summary>sprig's float math goes through shopspring/decimal, so 0.1 + 0.2 is 0.3.</summary>
    private static double DecimalFold(double seed, ReadOnlySpan<object?> args, Func<decimal, decimal, decimal> operation)
    {
        if (!TryDecimal(seed, out var result))
        {
            return double.NaN;
        }
        foreach (var arg in args)
        {
            if (!TryDecimal(TemplateValues.ToFloat64(arg), out var value))
            {
                return double.NaN;
            }
            try
            {
                result = operation(result, value);
            }
            catch (OverflowException)
            {
                return double.NaN;
            }
        }
        // Like shopspring's Float64(): through the decimal text, which rounds correctly where a cast may not.
        return double.Parse(result.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static bool TryDecimal(double value, out decimal result) =>
        decimal.TryParse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out result);

    private static double Round(object?[] args)
    {
        AtLeast(args, 2, "round");
        var roundOn = args.Length > 2 ? TemplateValues.ToFloat64(args[2]) : 0.5;
        var value = TemplateValues.ToFloat64(args[0]);
        var pow = Math.Pow(10, Int(args, 1));
        var digit = pow * value;
        var fraction = digit - Math.Truncate(digit);
        return (fraction >= roundOn ? Math.Ceiling(digit) : Math.Floor(digit)) / pow;
    }

    private static object? FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return ToValue(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }

        static object? ToValue(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Aggregate(
                new Dictionary<string, object?>(StringComparer.Ordinal),
                (map, property) => { map[property.Name] = ToValue(property.Value); return map; }),
            JsonValueKind.Array => element.EnumerateArray().Select(ToValue).ToList(),
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }

    private static GoTime DateArgument(TemplateContext context, object? value) => value switch
    {
        GoTime time => time,
        long seconds => new GoTime(seconds, 0, TimeZoneInfo.Utc),
        _ => GoTime.FromUnixNanos(Now(context)),
    };

    private static long Now(TemplateContext context) =>
        context.Clock.NowNanos();
}
