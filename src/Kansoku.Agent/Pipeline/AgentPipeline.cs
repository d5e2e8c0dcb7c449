using System.Threading.Channels;
using Kansoku.Agent.Checkpoints;
using Kansoku.Agent.Config;
using Kansoku.Agent.Filters;
using Kansoku.Agent.Inputs.Tail;
using Kansoku.Agent.Kubernetes;
using Kansoku.Agent.Outputs;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Parsers.Multiline;
using Kansoku.Kubernetes;

namespace Kansoku.Agent.Pipeline;

/// <summary>
/// A running agent built from a <see cref="PipelineSpec"/>: tail inputs, each with its batch builder, one commit loop
/// that hands batches to the outputs and advances checkpoints, and the outputs' own delivery loops.
/// </summary>
internal sealed class AgentPipeline : IAsyncDisposable
{
    private readonly AgentRunOptions _run;
    private readonly AgentLog _log;
    private readonly Channel<Batch> _channel;
    private readonly List<TailInput> _inputs;
    private readonly List<BatchBuilder> _builders;
    private readonly List<IOutput> _outputs;
    private readonly BatchCommitter _committer;
    private readonly IKubernetesMetadataProvider? _metadata;

    private AgentPipeline(
        AgentRunOptions run,
        AgentLog log,
        Channel<Batch> channel,
        List<TailInput> inputs,
        List<BatchBuilder> builders,
        List<IOutput> outputs,
        BatchCommitter committer,
        Checkpointer checkpointer,
        IKubernetesMetadataProvider? metadata,
        List<ComponentCounters> outputCounters)
    {
        _run = run;
        _log = log;
        _channel = channel;
        _inputs = inputs;
        _builders = builders;
        _outputs = outputs;
        _committer = committer;
        Checkpointer = checkpointer;
        _metadata = metadata;
        OutputCounters = outputCounters;
    }

    public IReadOnlyList<TailInput> Inputs => _inputs;
    public IReadOnlyList<ComponentCounters> OutputCounters { get; }
    public IReadOnlyList<BatchBuilder> Builders => _builders;
    public BatchCommitter Committer => _committer;
    public Checkpointer Checkpointer { get; }

    /// <summary>API watch counters, when metadata comes from an API server.</summary>
    public KubernetesApiStats? KubernetesStats => (_metadata as KubernetesMetadataProvider)?.Stats;

    /// <summary>Builds every component; configuration errors surface here as <see cref="ConfigException"/>.</summary>
    /// <param name="validateOnly">For <c>--check</c>: build and validate everything but start nothing (no API watches).</param>
    public static AgentPipeline Build(PipelineSpec spec, AgentRunOptions run, AgentLog log, TimeProvider time, bool validateOnly = false)
    {
        var parsers = new Dictionary<string, IContentParser>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, parserSpec) in spec.Parsers)
        {
            parsers[name] = ParserFactory.Create(parserSpec);
        }
        IContentParser? ResolveParser(string name)
        {
            if (parsers.TryGetValue(name, out var parser))
            {
                return parser;
            }
            parser = ParserFactory.CreateBuiltIn(name);
            if (parser is not null)
            {
                parsers[name] = parser;
            }
            return parser;
        }

        KubernetesFilterOptions? kubernetes = null;
        var filters = new List<(TagPattern, IRecordFilter)>();
        foreach (var filterSpec in spec.Filters)
        {
            var match = MatchOf(filterSpec);
            if (string.Equals(filterSpec.Type, "kubernetes", StringComparison.Ordinal))
            {
                if (kubernetes is null)
                {
                    kubernetes = KubernetesFilterOptions.From(filterSpec);
                }
                else
                {
                    spec.Warnings.Add(new ConfigWarning(filterSpec.Location,
                        "a second kubernetes filter is ignored: metadata is looked up once per file, with the first one's settings"));
                    foreach (var property in filterSpec.Properties)
                    {
                        filterSpec.MarkUsed(property.Key);
                    }
                }
                continue;
            }
            if (FilterFactory.Create(filterSpec) is { } filter)
            {
                filters.Add((match, filter));
            }
        }

        foreach (var inputSpec in spec.Inputs)
        {
            if (!string.Equals(inputSpec.Type, "tail", StringComparison.Ordinal))
            {
                throw new ConfigException(inputSpec.Location, "Name", $"input '{inputSpec.Type}' is not supported (supported: tail)");
            }
            if (inputSpec.Get("Parser") is { } parserName && ResolveParser(parserName) is null)
            {
                throw new ConfigException(inputSpec.Find("Parser")!.Location, "Parser", $"no parser named '{parserName}' is defined");
            }
        }
        if (spec.Outputs.Count == 0)
        {
            throw new ConfigException(spec.Service.Location, null, "the pipeline has no output");
        }

        Directory.CreateDirectory(run.StateDirectory);
        var outputs = new List<IOutput>();
        var outputMatches = new List<TagPattern>();
        var outputCounters = new List<ComponentCounters>();
        for (var i = 0; i < spec.Outputs.Count; i++)
        {
            var outputSpec = spec.Outputs[i];
            // The name keys the output's disk buffer: an Alias keeps it stable when outputs are reordered.
            var name = outputSpec.Get("Alias") ?? $"{outputSpec.Type}.{i}";
            var counters = new ComponentCounters("output", name);
            outputMatches.Add(MatchOf(outputSpec));
            outputs.Add(OutputFactory.Create(outputSpec, new OutputContext(name, run.StateDirectory, counters, log, time, run.Sync)));
            outputCounters.Add(counters);
        }

        var metadata = kubernetes is null || validateOnly ? null : KubernetesMetadataProvider.Create(kubernetes, log);
        var context = new TailContext
        {
            Metadata = metadata,
            ResolveParser = ResolveParser,
            MergeLogParser = kubernetes is { MergeLog: true } ? ResolveParser("json") : null,
            KeepLog = kubernetes?.KeepLog ?? true,
            MergeLogKey = kubernetes is { MergeLog: true } ? kubernetes.MergeLogKey : null,
            AnnotatedParser = kubernetes is { AllowParserAnnotation: true } ? (m, stream) => KubernetesAnnotations.PodParserAnnotation(m, m.ContainerName, stream) : null,
            IsExcluded = kubernetes is { AllowExcludeAnnotation: true } ? (m, stream) => KubernetesAnnotations.IsExcluded(m, m.ContainerName, stream) : null,
        };

        var limits = new PipelineLimits(spec.Service.GetDuration("Flush", TimeSpan.FromSeconds(1)));
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(limits.PendingBatches) { SingleReader = true });
        var checkpointer = new Checkpointer(new CheckpointStore(run.StateDirectory, run.Sync), time);
        var inputs = new List<TailInput>();
        var builders = new List<BatchBuilder>();
        for (var i = 0; i < spec.Inputs.Count; i++)
        {
            var counters = new ComponentCounters("input", $"tail.{i}");
            var builder = new BatchBuilder(filters, outputMatches, channel.Writer, counters, limits, time);
            builders.Add(builder);
            var options = TailOptions.From(spec.Inputs[i]);
            var (rule, flushTimeout) = MultilineFor(options, spec);
            var inputContext = context with { MultilineRule = rule, MultilineFlushTimeout = flushTimeout };
            inputs.Add(new TailInput(options, inputContext, checkpointer, builder, counters, log, time));
        }
        var committer = new BatchCommitter(channel.Reader, outputs, checkpointer, log);

        foreach (var component in EnumerateSpecs(spec))
        {
            foreach (var unused in component.UnusedProperties())
            {
                spec.Warnings.Add(new ConfigWarning(unused.Location, $"{component.Kind.ToString().ToLowerInvariant()} '{component.Type}': unknown key '{unused.Key}' ignored"));
            }
        }
        return new AgentPipeline(run, log, channel, inputs, builders, outputs, committer, checkpointer, metadata, outputCounters);
    }

    /// <summary>
    /// The input's multi-line joining: off, the rule named by <c>multiline.parser</c> (a [MULTILINE_PARSER] or a built-in
    /// language; Fluent Bit's <c>docker</c> and <c>cri</c> names are the partial-line joining the tail does anyway),
    /// or, by default, every built-in language.
    /// </summary>
    private static (IMultilineRule? Rule, TimeSpan FlushTimeout) MultilineFor(TailOptions options, PipelineSpec spec)
    {
        if (!options.Multiline)
        {
            return (null, options.MultilineFlushTimeout);
        }
        var names = (options.MultilineParser ?? "auto").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (name.Equals("docker", StringComparison.OrdinalIgnoreCase) || name.Equals("cri", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (spec.MultilineParsers.TryGetValue(name, out var section))
            {
                var definition = MultilineFactory.Create(section);
                return (definition.Rule, definition.FlushTimeout);
            }
            return (MultilineFactory.CreateBuiltIn(name) ?? throw new ConfigException(options.Location, "multiline.parser",
                $"no multiline parser named '{name}' (built-in: java, python, go, dotnet, nodejs, auto)"), options.MultilineFlushTimeout);
        }
        return (null, options.MultilineFlushTimeout);
    }

    private static IEnumerable<ComponentSpec> EnumerateSpecs(PipelineSpec spec) =>
        spec.Inputs.Concat(spec.Filters).Concat(spec.Outputs).Concat(spec.Parsers.Values).Concat(spec.MultilineParsers.Values).Append(spec.Service);

    private static TagPattern MatchOf(ComponentSpec spec)
    {
        if (spec.Get("Match_Regex") is { } regex)
        {
            return TagPattern.Regex(regex);
        }
        var match = spec.Get("Match");
        return match is null or "*" ? TagPattern.All : TagPattern.Wildcard(match);
    }

    /// <summary>
    /// Runs until <paramref name="stop"/> (SIGTERM) or, with --once, until every file is read and delivered.
    /// Returns the process exit code: 0, or 1 when delivery did not finish within the drain bound.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        if (_metadata is KubernetesMetadataProvider api)
        {
            await api.WaitForInitialSyncAsync(stop);
        }
        foreach (var output in _outputs)
        {
            await output.StartAsync(stop);
        }
        var committing = Task.Run(() => _committer.RunAsync(CancellationToken.None), CancellationToken.None);
        var reading = new List<Task>();
        foreach (var input in _inputs)
        {
            reading.Add(Task.Run(() => input.RunAsync(_run.Once, stop), CancellationToken.None));
        }
        try
        {
            await Task.WhenAll(reading);
        }
        finally
        {
            _channel.Writer.TryComplete();
        }
        await committing;
        var delivered = true;
        using var drain = new CancellationTokenSource(_run.DrainTimeout);
        foreach (var output in _outputs)
        {
            if (!await output.DrainAsync(_run.DrainTimeout, drain.Token))
            {
                delivered = false;
                _log.Warn($"{output.Name}: not everything was delivered within {_run.DrainTimeout.TotalSeconds:0}s; the rest stays in its buffer for the next run");
            }
        }
        return delivered ? 0 : 1;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var output in _outputs)
        {
            await output.DisposeAsync();
        }
        foreach (var input in _inputs)
        {
            input.Dispose();
        }
        foreach (var builder in _builders)
        {
            builder.Dispose();
        }
        if (_metadata is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
