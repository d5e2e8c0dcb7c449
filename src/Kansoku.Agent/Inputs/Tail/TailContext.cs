using Kansoku.Agent.Kubernetes;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Parsers.Multiline;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>What the tail input needs from the rest of the pipeline to turn lines into finished records.</summary>
internal sealed record TailContext
{
    /// <summary>Metadata for kubelet log paths; null when the pipeline has no kubernetes filter.</summary>
    public IKubernetesMetadataProvider? Metadata { get; init; }

    /// <summary>The named parsers ([PARSER] sections and built-ins), for Parser keys and pod annotations.</summary>
    public Func<string, IContentParser?> ResolveParser { get; init; } = static _ => null;

    /// <summary>Parser used when neither the input nor an annotation names one (the kubernetes filter's Merge_Log: json).</summary>
    public IContentParser? MergeLogParser { get; init; }

    /// <summary>Whether <c>log</c> stays beside parsed fields (Keep_Log).</summary>
    public bool KeepLog { get; init; } = true;

    /// <summary>Merge_Log_Key: parsed fields go under this key instead of the top level.</summary>
    public string? MergeLogKey { get; init; }

    /// <summary>The parser a pod's annotations ask for, per stream (K8S-Logging.Parser), or null.</summary>
    public Func<KubernetesMetadata, LogStream, string?>? AnnotatedParser { get; init; }

    /// <summary>How lines join into multi-line records (stack traces); null turns joining off.</summary>
    public IMultilineRule? MultilineRule { get; init; }

    public TimeSpan MultilineFlushTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether a pod's annotations exclude a stream of its logs (K8S-Logging.Exclude).</summary>
    public Func<KubernetesMetadata, LogStream, bool>? IsExcluded { get; init; }
}
