using System.Text;
using Kansoku.Agent.Parsers.Time;

namespace Kansoku.Agent.Parsers.Fields;

/// <summary>The settings every content parser shares: Time_Key, Time_Format/Time_Offset, Time_Keep and Types.</summary>
internal sealed class ParserOptions
{
    public ParserOptions(string name, IEnumerable<string> timeKeys, TimeFieldParser time, bool timeKeep, FieldTypeMap types)
    {
        Name = name;
        TimeKeys = [.. timeKeys.Select(Encoding.UTF8.GetBytes)];
        Time = time;
        TimeKeep = timeKeep;
        Types = types;
    }

    public string Name { get; }

    /// <summary>
    /// Names (UTF-8) of the field the time is read from: Time_Key, or for built-in parsers the usual names; the first
    /// one present and readable wins. Empty when the parser takes no time from the fields.
    /// </summary>
    public byte[][] TimeKeys { get; }

    public TimeFieldParser Time { get; }

    /// <summary>Keep the time field among the fields after reading it (Fluent Bit's default: Off).</summary>
    public bool TimeKeep { get; }

    public FieldTypeMap Types { get; }

    /// <summary>
    /// Options for a built-in parser: the time from <c>time</c>, <c>timestamp</c>, <c>ts</c> or <c>@timestamp</c>,
    /// recognised without a format, and kept among the fields.
    /// </summary>
    public static ParserOptions BuiltIn(string name) =>
        new(name, ["time", "timestamp", "ts", "@timestamp"], TimeFieldParser.Auto, timeKeep: true, FieldTypeMap.Empty);

    public bool IsTimeKey(ReadOnlySpan<byte> key)
    {
        foreach (var timeKey in TimeKeys)
        {
            if (key.SequenceEqual(timeKey))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="key"/> names a level field (level, severity, lvl, loglevel, log_level), in any case.</summary>
    public static bool IsLevelKey(ReadOnlySpan<byte> key) => key.Length switch
    {
        3 => Ascii.EqualsIgnoreCase(key, "lvl"u8),
        5 => Ascii.EqualsIgnoreCase(key, "level"u8),
        8 => Ascii.EqualsIgnoreCase(key, "severity"u8) || Ascii.EqualsIgnoreCase(key, "loglevel"u8),
        9 => Ascii.EqualsIgnoreCase(key, "log_level"u8),
        _ => false,
    };
}
