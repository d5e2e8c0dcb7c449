using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs;

namespace Kansoku.Cli.Commands;

/// <summary>The pipeline <c>kansoku agent</c> runs without a config file: tail -> kubernetes (path, or API) -> outputs.</summary>
internal static class FlagPipeline
{
    public static PipelineSpec Build(string[] paths, string[] outputs, bool readFromHead, string parser, string? kubeconfig)
    {
        var flags = new SourceLocation("command line", 0, 0);
        var spec = new PipelineSpec(new ComponentSpec(ComponentKind.Service, "service", flags));
        var tail = new ComponentSpec(ComponentKind.Input, "tail", flags);
        tail.Add("Path", paths.Length == 0 ? "/var/log/containers/*.log" : string.Join(',', paths), flags);
        tail.Add("Read_from_Head", readFromHead ? "on" : "off", flags);
        if (!string.Equals(parser, "none", StringComparison.OrdinalIgnoreCase) && !string.Equals(parser, "json", StringComparison.OrdinalIgnoreCase))
        {
            tail.Add("Parser", parser, flags);
        }
        spec.Inputs.Add(tail);

        var kubernetes = new ComponentSpec(ComponentKind.Filter, "kubernetes", flags);
        kubernetes.Add("Match", "*", flags);
        kubernetes.Add("Merge_Log", string.Equals(parser, "json", StringComparison.OrdinalIgnoreCase) ? "on" : "off", flags);
        if (kubeconfig is not null)
        {
            kubernetes.Add("kubeconfig", kubeconfig, flags);
        }
        spec.Filters.Add(kubernetes);

        foreach (var output in outputs)
        {
            var outputSpec = OutputFactory.FromUrl(output);
            if (outputSpec.Type is "es" or "elasticsearch" or "opensearch")
            {
                // Ids derived from the record make a re-send after a crash overwrite rather than duplicate.
                outputSpec.Add("Generate_ID", "on", flags);
            }
            spec.Outputs.Add(outputSpec);
        }
        return spec;
    }
}
