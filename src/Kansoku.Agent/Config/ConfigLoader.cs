namespace Kansoku.Agent.Config;

/// <summary>Loads an agent configuration in either format: <c>.yaml</c>/<c>.yml</c> is Kansoku's YAML, <c>.conf</c> Fluent Bit's
/// classic format; any other name is sniffed: a first meaningful line that starts with <c>[</c> or <c>@</c> is classic.</summary>
internal static class ConfigLoader
{
    public static PipelineSpec Load(string path) => Load(path, Environment.GetEnvironmentVariable);

    public static PipelineSpec Load(string path, Func<string, string?> environment) => IsClassic(path)
        ? FluentBitClassicLoader.Load(path, environment)
        : KansokuYamlLoader.Load(path, environment);

    private static bool IsClassic(string path)
    {
        if (PipelineSpecBuilder.IsYaml(path))
        {
            return false;
        }
        if (path.EndsWith(".conf", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        foreach (var line in ConfigFiles.ReadAllText(path, source: null).Split('\n'))
        {
            var text = line.Trim();
            if (text.Length > 0 && text[0] != '#')
            {
                return text[0] is '[' or '@';
            }
        }
        return false;
    }
}
