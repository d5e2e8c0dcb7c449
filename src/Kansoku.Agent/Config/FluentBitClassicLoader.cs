namespace Kansoku.Agent.Config;

/// <summary>
/// Reads Fluent Bit's classic configuration format as Fluent Bit does (<c>flb_cf_fluentbit.c</c>): <c>[SECTION]</c> headers
/// (case-insensitive: SERVICE, INPUT, FILTER, OUTPUT, PARSER, MULTILINE_PARSER), indented <c>Key Value</c> lines whose value
/// is the rest of the line, trimmed (a <c>#</c> inside a value is part of it, as in Fluent Bit), <c>#</c> comment lines,
/// <c>@INCLUDE file-or-glob</c> and <c>@SET NAME=VALUE</c>. Every <c>@SET</c> of a document applies to every value of it,
/// wherever it stands, because Fluent Bit runs them before setting any property.
/// </summary>
/// <remarks>
/// Where Fluent Bit would misread a line instead of refusing it, this loader is stricter or plainly lenient: a key line in a
/// section must be indented, but the indentation may vary (spaces or tabs), key and value may be separated by tabs, and an
/// indented <c>[SECTION]</c> or <c>@INCLUDE</c> means what it says. Sections Fluent Bit knows for features Kansoku lacks
/// ([CUSTOM], [PLUGINS], [UPSTREAM]…) are skipped with a warning; any other section name is an error.
/// </remarks>
internal sealed class FluentBitClassicLoader
{
    private readonly PipelineSpecBuilder _builder;
    private readonly bool _parsersOnly;
    private readonly string _rootDirectory;
    private readonly IncludeStack _includes = new();
    private readonly List<RawSection> _sections = [];

    private FluentBitClassicLoader(PipelineSpecBuilder builder, bool parsersOnly, string rootDirectory)
    {
        _builder = builder;
        _parsersOnly = parsersOnly;
        _rootDirectory = rootDirectory;
    }

    public static PipelineSpec Load(string path) => Load(path, Environment.GetEnvironmentVariable);

    /// <param name="environment">Looks up environment variables for <c>${VAR}</c>; tests pass their own.</param>
    public static PipelineSpec Load(string path, Func<string, string?> environment)
    {
        var builder = new PipelineSpecBuilder(path, environment);
        var loader = new FluentBitClassicLoader(builder, parsersOnly: false, builder.MainDirectory);
        loader.ReadFile(path, source: null);
        builder.AddSections(loader._sections);
        return builder.Build();
    }

    /// <summary>Reads a parsers file (<c>Parsers_File</c>): only its [PARSER] and [MULTILINE_PARSER] sections count, as in Fluent Bit.</summary>
    public static List<RawSection> ReadParsersFile(string path, PipelineSpecBuilder builder)
    {
        var loader = new FluentBitClassicLoader(builder, parsersOnly: true, Path.GetDirectoryName(path) ?? "");
        loader.ReadFile(path, source: null);
        return loader._sections;
    }

    private void ReadFile(string path, ConfigProperty? source)
    {
        var text = ConfigFiles.ReadAllText(path, source);
        _includes.Enter(path, source);
        RawSection? section = null;
        var skipping = false;
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            var indent = 0;
            while (indent < line.Length && IsBlank(line[indent]))
            {
                indent++;
            }
            if (indent == line.Length || line[indent] == '#')
            {
                continue;
            }
            var location = new SourceLocation(path, lineNumber, indent + 1);
            switch (line[indent])
            {
                case '@':
                    RunCommand(path, line[indent..], location);
                    break;
                case '[':
                    section = StartSection(line, indent, location, out skipping);
                    break;
                default:
                    AddProperty(section, skipping, line, indent, location);
                    break;
            }
        }
        _includes.Exit();
    }

    private void RunCommand(string path, string text, SourceLocation location)
    {
        var (command, argument) = SplitKeyValue(text);
        if (command.Equals("@INCLUDE", StringComparison.OrdinalIgnoreCase))
        {
            var include = new ConfigProperty(command, argument, location);
            if (argument.Length == 0)
            {
                throw new ConfigException(location, command, "needs a file name or a glob pattern");
            }
            foreach (var file in IncludeResolver.Resolve(argument, path, _rootDirectory, include))
            {
                ReadFile(file, include);
            }
        }
        else if (command.Equals("@SET", StringComparison.OrdinalIgnoreCase))
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? "" : argument[..equals].Trim();
            if (name.Length == 0)
            {
                throw new ConfigException(location, command, $"expected @SET NAME=VALUE, got '{text.Trim()}'");
            }
            _builder.Variables.Set(name, argument[(equals + 1)..].Trim());
        }
        else
        {
            throw new ConfigException(location, command, "unknown command; Fluent Bit's classic format has @INCLUDE and @SET");
        }
    }

    private RawSection? StartSection(string line, int indent, SourceLocation location, out bool skipping)
    {
        var close = line.IndexOf(']', indent);
        if (close < 0)
        {
            throw new ConfigException(location, null, $"bad section header '{line.Trim()}': expected [NAME]");
        }
        var name = line[(indent + 1)..close].Trim();
        skipping = true;
        if (!SectionNames.TryGetKind(name, out var kind))
        {
            if (!SectionNames.IsUnsupported(name))
            {
                throw new ConfigException(location, null,
                    $"unknown section [{name}]; expected SERVICE, INPUT, FILTER, OUTPUT, PARSER or MULTILINE_PARSER");
            }
            _builder.Warnings.Add(new ConfigWarning(location, $"[{name}] configures a Fluent Bit feature kansoku does not have; the section is ignored"));
            return null;
        }
        if (_parsersOnly && kind is not (ComponentKind.Parser or ComponentKind.MultilineParser))
        {
            _builder.Warnings.Add(new ConfigWarning(location, $"[{name}] in a parsers file is ignored; only [PARSER] and [MULTILINE_PARSER] are read from it"));
            return null;
        }
        skipping = false;
        var section = new RawSection(kind, location, "", []);
        _sections.Add(section);
        return section;
    }

    private static void AddProperty(RawSection? section, bool skipping, string line, int indent, SourceLocation location)
    {
        var (key, value) = SplitKeyValue(line[indent..]);
        if (section is null && !skipping)
        {
            throw new ConfigException(location, key, "key outside any section; put it under [SERVICE], [INPUT], [FILTER], [OUTPUT] or [PARSER]");
        }
        if (indent == 0)
        {
            throw new ConfigException(location, key, "a key of a section must be indented (Fluent Bit's format: '    Key Value')");
        }
        if (value.Length == 0)
        {
            throw new ConfigException(location, key, "has no value; expected 'Key Value'");
        }
        section?.Properties.Add(new ConfigProperty(key, value, location));
    }

    private static (string Key, string Value) SplitKeyValue(string text)
    {
        var end = 0;
        while (end < text.Length && !IsBlank(text[end]))
        {
            end++;
        }
        return (text[..end], text[end..].Trim());
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';
}
