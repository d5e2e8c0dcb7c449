using Kansoku.Agent.Config;
using Kansoku.Agent.Parsers.Fields;
using Kansoku.Agent.Parsers.Json;
using Kansoku.Agent.Parsers.Logfmt;
using Kansoku.Agent.Parsers.Regexp;
using Kansoku.Agent.Parsers.Time;

namespace Kansoku.Agent.Parsers;

/// <summary>Builds content parsers from [PARSER] sections (Fluent Bit's parsers.conf keys) and by built-in name.</summary>
internal static class ParserFactory
{
    /// <summary>
    /// Builds the parser a [PARSER] section describes. Keys: Name, Format (json, regex, logfmt), Regex, Time_Key,
    /// Time_Format, Time_Keep, Time_Offset, Types, Skip_Empty_Values (regex), Logfmt_No_Bare_Keys (logfmt) and
    /// Decode_Field_As with the decoders <c>escaped_utf8</c> / <c>escaped</c>, which are no-ops here because JSON
    /// strings are decoded by the reader. Other decoders leave the key unread, so it is reported as unknown.
    /// Throws <see cref="ConfigException"/> naming the key on a bad value.
    /// </summary>
    public static IContentParser Create(ComponentSpec spec)
    {
        var name = spec.Get("Name") ?? spec.Type;
        // The config loaders make a [PARSER]'s Format the spec's type; a spec built by hand may still carry the key.
        var formatProperty = spec.Find("Format");
        var format = (formatProperty?.Value ?? spec.Type).Trim().ToLowerInvariant();
        if (format is not ("json" or "regex" or "logfmt"))
        {
            throw new ConfigException(formatProperty?.Location ?? spec.Location, formatProperty?.Key ?? "Format",
                $"parser '{name}': format '{formatProperty?.Value ?? spec.Type}' is not supported (json, regex or logfmt)");
        }

        var options = ReadOptions(spec, name);
        MarkNoOpDecoders(spec);
        return format switch
        {
            "json" => new JsonContentParser(options),
            "logfmt" => new LogfmtContentParser(options, spec.GetBool("Logfmt_No_Bare_Keys", false)),
            _ => CreateRegex(spec, name, options),
        };
    }

    /// <summary>A parser usable by name without a [PARSER] section (<c>json</c>, <c>logfmt</c>), or null.</summary>
    public static IContentParser? CreateBuiltIn(string name) => name.Trim().ToLowerInvariant() switch
    {
        "json" => new JsonContentParser(ParserOptions.BuiltIn("json")),
        "logfmt" => new LogfmtContentParser(ParserOptions.BuiltIn("logfmt"), noBareKeys: false),
        _ => null,
    };

    private static RegexContentParser CreateRegex(ComponentSpec spec, string name, ParserOptions options)
    {
        var property = spec.Find("Regex")
            ?? throw new ConfigException(spec.Location, "Regex", $"parser '{name}' has format regex but no 'Regex'");
        System.Text.RegularExpressions.Regex regex;
        try
        {
            regex = RegexContentParser.Compile(property.Value);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(property.Location, property.Key, $"parser '{name}': invalid regular expression: {e.Message}");
        }
        return new RegexContentParser(options, regex, spec.GetBool("Skip_Empty_Values", true));
    }

    private static ParserOptions ReadOptions(ComponentSpec spec, string name)
    {
        var timeKey = spec.Get("Time_Key");
        StrptimeFormat? timeFormat = null;
        if (spec.Find("Time_Format") is { } formatProperty)
        {
            try
            {
                timeFormat = StrptimeFormat.Compile(formatProperty.Value.Trim());
            }
            catch (FormatException e)
            {
                throw new ConfigException(formatProperty.Location, formatProperty.Key, e.Message);
            }
        }
        var offset = 0;
        if (spec.Find("Time_Offset") is { } offsetProperty && !Rfc3339.TryParseZone(
                System.Text.Encoding.UTF8.GetBytes(offsetProperty.Value.Trim()), out offset))
        {
            throw new ConfigException(offsetProperty.Location, offsetProperty.Key,
                $"expected an offset such as +0900, -06:00 or UTC, got '{offsetProperty.Value}'");
        }
        var types = spec.Find("Types") is { } typesProperty ? FieldTypeMap.Parse(typesProperty) : FieldTypeMap.Empty;
        var timeKeep = spec.GetBool("Time_Keep", false);
        return new ParserOptions(name, timeKey is null ? [] : [timeKey.Trim()], new TimeFieldParser(timeFormat, offset), timeKeep, types);
    }

    private static void MarkNoOpDecoders(ComponentSpec spec)
    {
        foreach (var key in (ReadOnlySpan<string>)["Decode_Field_As", "Decode_Field"])
        {
            var all = true;
            var any = false;
            foreach (var property in spec.Properties)
            {
                if (string.Equals(property.Key, key, StringComparison.OrdinalIgnoreCase))
                {
                    any = true;
                    var decoder = property.Value.Trim().Split(' ', 2)[0];
                    all &= decoder.Equals("escaped_utf8", StringComparison.OrdinalIgnoreCase)
                        || decoder.Equals("escaped", StringComparison.OrdinalIgnoreCase);
                }
            }
            if (any && all)
            {
                spec.MarkUsed(key);
            }
        }
    }
}
