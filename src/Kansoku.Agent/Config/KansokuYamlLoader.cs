using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kansoku.Agent.Config;

/// <summary>
/// Reads Kansoku's YAML configuration, which follows Fluent Bit's YAML format so a Fluent Bit user feels at home.
/// <code>
/// env:                          # variables for ${NAME}, before the process environment
///   es_host: elasticsearch.logging.svc
/// includes:                     # more YAML files (or globs), relative to this file's folder, then the main file's
///   - conf.d/*.yaml
/// service:
///   flush: 1
///   parsers_file: parsers.conf  # classic or YAML parsers files, relative to the main file's folder; may be a list
/// parsers:
///   - name: webapp_json
///     format: json
///     time_key: timestamp
/// multiline_parsers:
///   - name: java
///     type: regex
///     rules:                    # each rule becomes one property rule = "state" "regex" "next_state", the classic form
///       - { state: start_state, regex: '/^\d{4}-/', next_state: cont }
///       - { state: cont, regex: '/^\s+at /', next_state: cont }
/// pipeline:                     # inputs/filters/outputs may also stand at the top level
///   inputs:
///     - name: tail              # name: the plugin type
///       path: /var/log/containers/*.log
///   filters:
///     - name: grep
///       match: '*'
///       regex: [ 'level error', 'level warn' ]   # a list: the key repeated, one property per item
///     - name: record_modifier
///       match: '*'
///       record: { cluster: prod, region: eu }   # a map: the key repeated, value "subkey value" (record "cluster prod")
///   outputs:
///     - name: stdout
///       match: '*'
/// </code>
/// Keys are case-insensitive; a camelCase key (<c>memBufLimit</c>) means its snake_case form, as in Fluent Bit. A scalar
/// value is taken as written (<c>on</c>, <c>50MB</c>, <c>true</c>); an empty value is an error. Fluent Bit's
/// <c>processors</c> are not supported (use filters). Errors name file, line, column and the key's path, e.g.
/// <c>agent.yaml:7:5: pipeline.inputs[0].path: expected a string, a list of strings or a map of strings</c>.
/// </summary>
internal sealed class KansokuYamlLoader
{
    private static readonly string[] s_unsupportedKeys = ["customs", "plugins", "upstream_servers", "stream_processor"];

    private readonly PipelineSpecBuilder _builder;
    private readonly bool _parsersOnly;
    private readonly string _rootDirectory;
    private readonly IncludeStack _includes = new();
    private readonly List<RawSection> _sections = [];
    private string _file = "";

    private KansokuYamlLoader(PipelineSpecBuilder builder, bool parsersOnly, string rootDirectory)
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
        var loader = new KansokuYamlLoader(builder, parsersOnly: false, builder.MainDirectory);
        loader.ReadFile(path, source: null);
        builder.AddSections(loader._sections);
        return builder.Build();
    }

    /// <summary>Reads a YAML parsers file: its <c>parsers</c> and <c>multiline_parsers</c> (and <c>env</c>, <c>includes</c>).</summary>
    public static List<RawSection> ReadParsersFile(string path, PipelineSpecBuilder builder)
    {
        var loader = new KansokuYamlLoader(builder, parsersOnly: true, Path.GetDirectoryName(path) ?? "");
        loader.ReadFile(path, source: null);
        return loader._sections;
    }

    private void ReadFile(string path, ConfigProperty? source)
    {
        var text = ConfigFiles.ReadAllText(path, source);
        _includes.Enter(path, source);
        var outerFile = _file;
        _file = path;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = WithoutPosition(e);
            if (message.StartsWith("Duplicate key", StringComparison.Ordinal))
            {
                message += "; to give a key several values, write a list (regex: [a, b])";
            }
            throw new ConfigException(Location(e.Start), null, $"YAML syntax: {message}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner fails this way on some malformed input (found by LoaderPropertyTests); it gives no position.
            throw new ConfigException(new SourceLocation(path, 0, 0), null, $"YAML syntax: the YAML reader gave up ({e.Message})");
        }
        if (stream.Documents.Count > 1)
        {
            throw new ConfigException(Location(stream.Documents[1].RootNode.Start), null, "expected one YAML document, found several");
        }
        if (stream.Documents.Count == 1)
        {
            ReadRoot(stream.Documents[0].RootNode);
        }
        _file = outerFile;
        _includes.Exit();
    }

    private void ReadRoot(YamlNode root)
    {
        if (IsNull(root))
        {
            return;
        }
        if (root is not YamlMappingNode map)
        {
            throw new ConfigException(Location(root), null, "expected a map of sections (service, pipeline, parsers…) at the top level");
        }
        foreach (var (keyNode, value) in map.Children)
        {
            var key = KeyText(keyNode, "");
            var name = key.ToLowerInvariant();
            switch (name)
            {
                case "env":
                    ReadEnv(value, key);
                    continue;
                case "includes":
                    ReadIncludes(value, key);
                    continue;
                case "parsers":
                    ReadComponents(value, key, ComponentKind.Parser);
                    continue;
                case "multiline_parsers":
                    ReadComponents(value, key, ComponentKind.MultilineParser);
                    continue;
                default:
                    break;
            }
            if (_parsersOnly)
            {
                _builder.Warnings.Add(new ConfigWarning(Location(keyNode), $"{key}: ignored in a parsers file; only parsers and multiline_parsers are read from it"));
                continue;
            }
            switch (name)
            {
                case "service":
                    var service = new RawSection(ComponentKind.Service, Location(keyNode), key + ".", []);
                    ReadProperties(service, Map(value, key), key);
                    _sections.Add(service);
                    break;
                case "pipeline":
                    ReadPipeline(value, key);
                    break;
                case "inputs" or "filters" or "outputs":
                    ReadComponents(value, key, KindOf(name));
                    break;
                case var _ when s_unsupportedKeys.Contains(name):
                    _builder.Warnings.Add(new ConfigWarning(Location(keyNode), $"{key}: a Fluent Bit feature kansoku does not have; ignored"));
                    break;
                default:
                    throw new ConfigException(Location(keyNode), key,
                        "unknown section; expected env, includes, service, parsers, multiline_parsers, pipeline, inputs, filters or outputs");
            }
        }
    }

    private void ReadPipeline(YamlNode value, string path)
    {
        foreach (var (keyNode, list) in Map(value, path).Children)
        {
            var key = KeyText(keyNode, path + ".");
            var name = key.ToLowerInvariant();
            if (name is not ("inputs" or "filters" or "outputs"))
            {
                throw new ConfigException(Location(keyNode), $"{path}.{key}", "unknown key; expected inputs, filters or outputs");
            }
            ReadComponents(list, $"{path}.{key}", KindOf(name));
        }
    }

    private static ComponentKind KindOf(string name) => name switch
    {
        "inputs" => ComponentKind.Input,
        "filters" => ComponentKind.Filter,
        _ => ComponentKind.Output,
    };

    private void ReadEnv(YamlNode value, string path)
    {
        foreach (var (keyNode, valueNode) in Map(value, path).Children)
        {
            var name = KeyText(keyNode, path + ".");
            _builder.Variables.Set(name, Scalar(valueNode, $"{path}.{name}"));
        }
    }

    private void ReadIncludes(YamlNode value, string path)
    {
        var names = value is YamlSequenceNode list
            ? list.Children.Select((item, i) => (Node: item, Path: $"{path}[{i}]")).ToList()
            : [(Node: value, Path: path)];
        foreach (var (node, itemPath) in names)
        {
            var include = new ConfigProperty(itemPath, Scalar(node, itemPath), Location(node));
            foreach (var file in IncludeResolver.Resolve(include.Value, _file, _rootDirectory, include))
            {
                ReadFile(file, include);
            }
        }
    }

    private void ReadComponents(YamlNode value, string path, ComponentKind kind)
    {
        if (IsNull(value))
        {
            return;
        }
        if (value is not YamlSequenceNode list)
        {
            throw new ConfigException(Location(value), path, "expected a list of maps, one per component ('- name: …')");
        }
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var item = list.Children[i];
            var section = new RawSection(kind, Location(item), itemPath + ".", []);
            ReadProperties(section, Map(item, itemPath), itemPath);
            _sections.Add(section);
        }
    }

    private void ReadProperties(RawSection section, YamlMappingNode map, string path)
    {
        foreach (var (keyNode, value) in map.Children)
        {
            var written = KeyText(keyNode, path + ".");
            var key = SnakeCase(written);
            var keyPath = $"{path}.{written}";
            var location = Location(keyNode);
            if (key.Equals("processors", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConfigException(location, keyPath, "processors are not supported; use pipeline.filters with a match");
            }
            if (section.Kind == ComponentKind.MultilineParser && key.Equals("rules", StringComparison.OrdinalIgnoreCase))
            {
                ReadRules(section, value, keyPath);
                continue;
            }
            switch (value)
            {
                case YamlScalarNode scalar when IsNull(scalar):
                    throw new ConfigException(location, keyPath, "has no value");
                case YamlScalarNode scalar:
                    section.Properties.Add(new ConfigProperty(key, Scalar(scalar, keyPath), location));
                    break;
                case YamlSequenceNode list:
                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        var item = list.Children[i];
                        section.Properties.Add(new ConfigProperty(key, Scalar(item, $"{keyPath}[{i}]"), Location(item)));
                    }
                    break;
                case YamlMappingNode nested:
                    foreach (var (subKeyNode, subValue) in nested.Children)
                    {
                        var subKey = KeyText(subKeyNode, keyPath + ".");
                        var subValueText = Scalar(subValue, $"{keyPath}.{subKey}");
                        section.Properties.Add(new ConfigProperty(key, $"{subKey} {subValueText}", Location(subKeyNode)));
                    }
                    break;
                default:
                    throw new ConfigException(Location(value), keyPath, "expected a string, a list of strings or a map of strings");
            }
        }
    }

    /// <summary>Fluent Bit's YAML rules (<c>state</c>, <c>regex</c>, <c>next_state</c>) become classic <c>rule</c> lines, so
    /// the multiline parser reads one form; a double quote inside is escaped as <c>\"</c>, which Fluent Bit's tokenizer undoes.</summary>
    private void ReadRules(RawSection section, YamlNode value, string path)
    {
        if (value is not YamlSequenceNode list)
        {
            throw new ConfigException(Location(value), path, "expected a list of rules ('- state: … regex: … next_state: …')");
        }
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var rule = Map(list.Children[i], itemPath);
            var parts = new List<string>(3);
            foreach (var part in (string[])["state", "regex", "next_state"])
            {
                var node = rule.Children.FirstOrDefault(c => c.Key is YamlScalarNode k && string.Equals(k.Value, part, StringComparison.OrdinalIgnoreCase)).Value
                    ?? throw new ConfigException(Location(rule), $"{itemPath}.{part}", "missing; a rule needs state, regex and next_state");
                parts.Add("\"" + Scalar(node, $"{itemPath}.{part}").Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
            }
            section.Properties.Add(new ConfigProperty("rule", string.Join(' ', parts), Location(rule)));
        }
    }

    private YamlMappingNode Map(YamlNode node, string path) => node as YamlMappingNode
        ?? throw new ConfigException(Location(node), path, IsNull(node) ? "is empty; expected a map" : "expected a map of 'key: value'");

    private string KeyText(YamlNode node, string prefix) => node is YamlScalarNode { Value: { Length: > 0 } text }
        ? text
        : throw new ConfigException(Location(node), prefix.TrimEnd('.'), "expected a plain key");

    private string Scalar(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar)
        {
            throw new ConfigException(Location(node), path, "expected a string, a list of strings or a map of strings");
        }
        if (IsNull(scalar))
        {
            throw new ConfigException(Location(node), path, "has no value");
        }
        return scalar.Value ?? "";
    }

    private static bool IsNull(YamlNode node) => node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Fluent Bit's YAML key translation: a key that starts lower-case, has an upper-case letter and no underscore
    /// is camelCase and means its snake_case form (<c>memBufLimit</c> is <c>mem_buf_limit</c>).</summary>
    private static string SnakeCase(string key)
    {
        if (!char.IsLower(key[0]) || key.Contains('_', StringComparison.Ordinal) || !key.Any(char.IsUpper))
        {
            return key;
        }
        var result = new StringBuilder(key.Length + 4);
        foreach (var c in key)
        {
            if (char.IsUpper(c))
            {
                result.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    private SourceLocation Location(YamlNode node) => Location(node.Start);

    private SourceLocation Location(Mark mark) => new(_file, (int)mark.Line, (int)mark.Column);

    /// <summary>YamlDotNet puts "(Line: 3, Col: 5, Idx: 20) - (Line: …): " before its messages; the location already says that.</summary>
    private static string WithoutPosition(YamlException e)
    {
        var message = e.Message;
        if (message.StartsWith("(Line:", StringComparison.Ordinal))
        {
            var colon = message.IndexOf("): ", StringComparison.Ordinal);
            if (colon >= 0)
            {
                message = message[(colon + 3)..];
            }
        }
        return message;
    }
}
