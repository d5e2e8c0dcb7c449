using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers;

/// <summary>
/// Maps level values to <see cref="Severity"/> and finds a level in the first words of unparsed lines.
/// </summary>
/// <remarks>
/// Mapping (case-insensitive): trace, debug, dbg, trc, verbose, fine, finer, finest, d → Debug; info, information,
/// informational, notice, inf, i → Info; warn, warning, wrn, w → Warn; error, err, eror, severe, e → Error;
/// fatal, ftl, critical, crit, alert, emerg, emergency, panic, dpanic, f → Fatal. Numbers: syslog 0-2 → Fatal,
/// 3 → Error, 4 → Warn, 5-6 → Info, 7 → Debug; bunyan/pino 10-20 → Debug, 30 → Info, 40 → Warn, 50 → Error, 60 → Fatal.
/// Critical counts as Fatal: the five levels keep "the process may be going down" apart from ordinary errors.
/// </remarks>
internal static class SeverityDetector
{
    // Prefix detection looks at the first few words only: a level word further in is part of the message.
    private const int MaxPrefixWords = 5;
    private const int MaxPrefixBytes = 256;

    /// <summary>The lowercase word the agent writes for a severity ("" for Unknown).</summary>
    public static ReadOnlySpan<byte> ToLevelWord(Severity severity) => severity switch
    {
        Severity.Debug => "debug"u8,
        Severity.Info => "info"u8,
        Severity.Warn => "warn"u8,
        Severity.Error => "error"u8,
        Severity.Fatal => "fatal"u8,
        _ => ""u8,
    };

    /// <summary>The severity a level field's value (a string's text or a number's digits) names.</summary>
    public static Severity FromValue(ReadOnlySpan<byte> value)
    {
        value = value.Trim((byte)' ');
        if (value.IsEmpty || value.Length > 13)
        {
            return Severity.Unknown;
        }
        if (DigitsValue(value) is var number and >= 0)
        {
            return FromNumber(number);
        }
        Span<char> lower = stackalloc char[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            lower[i] = (char)(value[i] is >= (byte)'A' and <= (byte)'Z' ? value[i] | 0x20 : value[i]);
        }
        return FromWord(lower, allowLetters: true);
    }

    /// <summary>
    /// A level in the first words of an unparsed line: klog's <c>E1125 08:00:00.1 …</c>, <c>level=info</c>,
    /// <c>[WARN]</c>, <c>&lt;error&gt;</c>, <c>WARNING:root:…</c>, <c>2024-01-02 03:04:05 ERROR …</c>, <c>ERROR …</c>.
    /// Words starting with a digit (dates, times, pids) are passed over. A level word counts when it is bracketed,
    /// followed by ':', written in capitals, or the line's first word.
    /// </summary>
    public static Severity DetectPrefix(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxPrefixBytes)
        {
            content = content[..MaxPrefixBytes];
        }
        if (TryKlog(content, out var klog))
        {
            return klog;
        }
        var pos = 0;
        for (var word = 0; word < MaxPrefixWords; word++)
        {
            while (pos < content.Length && content[pos] is (byte)' ' or (byte)'\t')
            {
                pos++;
            }
            if (pos == content.Length)
            {
                break;
            }
            var end = pos;
            while (end < content.Length && content[end] is not ((byte)' ' or (byte)'\t'))
            {
                end++;
            }
            var severity = WordSeverity(content[pos..end], firstWord: word == 0);
            if (severity != Severity.Unknown)
            {
                return severity;
            }
            pos = end;
        }
        return Severity.Unknown;
    }

    private static Severity WordSeverity(ReadOnlySpan<byte> word, bool firstWord)
    {
        if (word.StartsWith("level="u8) || word.StartsWith("lvl="u8))
        {
            var value = word[(word.IndexOf((byte)'=') + 1)..].Trim((byte)'"');
            return FromValue(value);
        }
        var bracketed = word[0] is (byte)'[' or (byte)'<' or (byte)'(';
        var start = bracketed ? 1 : 0;
        var end = start;
        var upper = true;
        while (end < word.Length && end - start < 14 && IsAsciiLetter(word[end]))
        {
            upper &= word[end] <= 'Z';
            end++;
        }
        var letters = end - start;
        // Single letters are too common in prose ("a", "I") to be read as levels here.
        if (letters < 3 || letters > 13)
        {
            return Severity.Unknown;
        }
        var next = end < word.Length ? word[end] : (byte)' ';
        var closed = next is (byte)' ' or (byte)']' or (byte)'>' or (byte)')' or (byte)':' or (byte)'|' or (byte)',';
        if (!closed || !(bracketed || next == ':' || upper || firstWord))
        {
            return Severity.Unknown;
        }
        Span<char> lower = stackalloc char[letters];
        for (var i = 0; i < letters; i++)
        {
            lower[i] = (char)(word[start + i] | 0x20);
        }
        return FromWord(lower, allowLetters: false);
    }

    /// <summary>klog / glog: <c>[IWEF]mmdd hh:mm:ss</c>.</summary>
    private static bool TryKlog(ReadOnlySpan<byte> content, out Severity severity)
    {
        severity = Severity.Unknown;
        if (content.Length < 14 || content[5] != ' ' || content[8] != ':' || content[11] != ':'
            || !AllDigits(content.Slice(1, 4)) || !AllDigits(content.Slice(6, 2)))
        {
            return false;
        }
        severity = content[0] switch
        {
            (byte)'I' => Severity.Info,
            (byte)'W' => Severity.Warn,
            (byte)'E' => Severity.Error,
            (byte)'F' => Severity.Fatal,
            _ => Severity.Unknown,
        };
        return severity != Severity.Unknown;
    }

    private static Severity FromWord(ReadOnlySpan<char> lower, bool allowLetters) => lower switch
    {
        "trace" or "debug" or "dbg" or "trc" or "verbose" or "fine" or "finer" or "finest" => Severity.Debug,
        "info" or "information" or "informational" or "notice" or "inf" => Severity.Info,
        "warn" or "warning" or "wrn" => Severity.Warn,
        "error" or "err" or "eror" or "severe" => Severity.Error,
        "fatal" or "ftl" or "critical" or "crit" or "alert" or "emerg" or "emergency" or "panic" or "dpanic" => Severity.Fatal,
        "d" when allowLetters => Severity.Debug,
        "i" when allowLetters => Severity.Info,
        "w" when allowLetters => Severity.Warn,
        "e" when allowLetters => Severity.Error,
        "f" when allowLetters => Severity.Fatal,
        _ => Severity.Unknown,
    };

    private static Severity FromNumber(int number) => number switch
    {
        0 or 1 or 2 => Severity.Fatal,
        3 => Severity.Error,
        4 => Severity.Warn,
        5 or 6 => Severity.Info,
        7 or 10 or 20 => Severity.Debug,
        30 => Severity.Info,
        40 => Severity.Warn,
        50 => Severity.Error,
        60 => Severity.Fatal,
        _ => Severity.Unknown,
    };

    /// <summary>The value of a short all-digit span, or -1.</summary>
    private static int DigitsValue(ReadOnlySpan<byte> value)
    {
        if (value.Length > 3 || !AllDigits(value))
        {
            return -1;
        }
        var number = 0;
        foreach (var b in value)
        {
            number = (number * 10) + (b - '0');
        }
        return number;
    }

    private static bool AllDigits(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsAsciiLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
