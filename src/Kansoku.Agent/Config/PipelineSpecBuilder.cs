namespace Kansoku.Agent.Config;

/// <summary>
/// Turns the sections both loaders read into a <see cref="PipelineSpec"/>: expands <c>${VAR}</c>, takes each section's type
/// out of its keys, merges [SERVICE] sections, refuses parsers defined twice and loads the service's <c>Parsers_File</c>s.
/// </summary>
/// <remarks>
/// The type of an input, filter or output is its <c>Name</c>. A parser's type is its <c>Format</c> and a multiline parser's its
/// <c>Type</c>; their <c>Name</c> stays a property (already marked used) and is the key in <see cref="PipelineSpec.Parsers"/>.
/// The key that became the type is not a property.
/// </remarks>
internal sealed class PipelineSpecBuilder
{
    private const string ParsersFileKey = "Parsers_File";

    private readonly string _mainPath;
    private readonly List<ComponentSpec> _inputs = [];
    private readonly List<ComponentSpec> _filters = [];
    private readonly List<ComponentSpec> _outputs = [];
    private readonly Dictionary<string, ComponentSpec> _parsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ComponentSpec> _multilineParsers = new(StringComparer.OrdinalIgnoreCase);
    private ComponentSpec? _service;

    public PipelineSpecBuilder(string mainPath, Func<string, string?> environment)
    {
        _mainPath = mainPath;
        Variables = new ConfigVariables(environment);
    }

    public ConfigVariables Variables { get; }

    public List<ConfigWarning> Warnings { get; } = [];

    /// <summary>The folder relative includes and parsers files fall back to: the main configuration file's.</summary>
    public string MainDirectory => Path.GetDirectoryName(_mainPath) ?? "";

    /// <summary>Adds the sections of one document. Call it once every file of the document is read, so that every
    /// variable the document sets is known.</summary>
    public void AddSections(IEnumerable<RawSection> sections)
    {
        foreach (var section in sections)
        {
            Add(section);
        }
    }

    /// <summary>Loads the service's parsers files and returns the finished specification.</summary>
    public PipelineSpec Build()
    {
        var service = _service ?? new ComponentSpec(ComponentKind.Service, "service", new SourceLocation(_mainPath, 0, 0));
        foreach (var parsersFile in service.FindAll(ParsersFileKey))
        {
            var paths = IncludeResolver.Resolve(parsersFile.Value, _mainPath, MainDirectory, parsersFile);
            foreach (var path in paths)
            {
                AddSections(IsYaml(path)
                    ? KansokuYamlLoader.ReadParsersFile(path, this)
                    : FluentBitClassicLoader.ReadParsersFile(path, this));
            }
        }
        var spec = new PipelineSpec(service);
        spec.Inputs.AddRange(_inputs);
        spec.Filters.AddRange(_filters);
        spec.Outputs.AddRange(_outputs);
        foreach (var (name, parser) in _parsers)
        {
            spec.Parsers.Add(name, parser);
        }
        foreach (var (name, parser) in _multilineParsers)
        {
            spec.MultilineParsers.Add(name, parser);
        }
        spec.Warnings.AddRange(Warnings);
        return spec;
    }

    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private void Add(RawSection section)
    {
        var properties = section.Properties.Select(p => Variables.Expand(p, Warnings)).ToList();
        if (section.Kind == ComponentKind.Service)
        {
            _service ??= new ComponentSpec(ComponentKind.Service, "service", section.Location);
            foreach (var property in properties)
            {
                _service.Add(property.Key, property.Value, property.Location);
            }
            return;
        }
        var typeKey = section.Kind switch
        {
            ComponentKind.Parser => "Format",
            ComponentKind.MultilineParser => "Type",
            _ => "Name",
        };
        var type = TakeOne(section, properties, typeKey);
        var spec = new ComponentSpec(section.Kind, type.Value.ToLowerInvariant(), section.Location);
        foreach (var property in properties)
        {
            if (!string.Equals(property.Key, typeKey, StringComparison.OrdinalIgnoreCase))
            {
                spec.Add(property.Key, property.Value, property.Location);
            }
        }
        switch (section.Kind)
        {
            case ComponentKind.Input:
                _inputs.Add(spec);
                break;
            case ComponentKind.Filter:
                _filters.Add(spec);
                break;
            case ComponentKind.Output:
                _outputs.Add(spec);
                break;
            default:
                AddParser(section, properties, spec);
                break;
        }
    }

    private void AddParser(RawSection section, List<ConfigProperty> properties, ComponentSpec spec)
    {
        var name = TakeOne(section, properties, "Name");
        spec.MarkUsed("Name");
        var parsers = section.Kind == ComponentKind.Parser ? _parsers : _multilineParsers;
        if (parsers.TryGetValue(name.Value, out var existing))
        {
            throw new ConfigException(name.Location, section.KeyName(name.Key),
                $"{(section.Kind == ComponentKind.Parser ? "parser" : "multiline parser")} '{name.Value}' is already defined at {existing.Location}");
        }
        parsers.Add(name.Value, spec);
    }

    /// <summary>The property that names the section's type or identity: required, not empty; given twice, the last one counts.</summary>
    private ConfigProperty TakeOne(RawSection section, List<ConfigProperty> properties, string key)
    {
        var found = properties.FindAll(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
        if (found.Count == 0)
        {
            throw new ConfigException(section.Location, section.KeyName(key), $"{section.Label} needs a {key}");
        }
        var property = found[^1];
        if (found.Count > 1)
        {
            Warnings.Add(new ConfigWarning(property.Location, $"{property.Key} is given {found.Count} times in {section.Label}; the last one, '{property.Value}', counts"));
        }
        if (string.IsNullOrWhiteSpace(property.Value))
        {
            throw new ConfigException(property.Location, section.KeyName(property.Key), "is empty");
        }
        return property;
    }
}
