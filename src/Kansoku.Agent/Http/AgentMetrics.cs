using System.Buffers;
using System.Text;
using Kansoku.Agent.Inputs.Tail;
using Kansoku.Agent.Pipeline;
using Kansoku.Core.Exposition;
using Kansoku.Core.Labels;

namespace Kansoku.Agent.Http;

/// <summary>
/// The agent's own metrics in Prometheus text format 0.0.4, named like Fluent Bit's with a kansoku_agent_ prefix. The
/// values live in the pipeline's counters and are read at scrape time, so this writes them with the shared
/// <see cref="ExpositionWriter"/> rather than keeping a registry of its own.
/// </summary>
internal static class AgentMetrics
{
    public static string Render(AgentPipeline pipeline)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var writer = new ExpositionWriter(buffer);
        var inputs = pipeline.Inputs;
        InputFamily(writer, inputs, "kansoku_agent_input_records_total", MetricKind.Counter, "Records read by an input.", i => i.Counters.Records);
        InputFamily(writer, inputs, "kansoku_agent_input_bytes_total", MetricKind.Counter, "Content bytes read by an input.", i => i.Counters.Bytes);
        InputFamily(writer, inputs, "kansoku_agent_input_malformed_lines_total", MetricKind.Counter,
            "Lines not valid for their file's format, skipped.", i => i.MalformedLines);
        InputFamily(writer, inputs, "kansoku_agent_input_skipped_bytes_total", MetricKind.Counter,
            "Bytes of over-long lines skipped by Skip_Long_Lines (0 unless asked for).", i => i.SkippedBytes);
        InputFamily(writer, inputs, "kansoku_agent_input_files_open", MetricKind.Gauge, "Files an input is following.", i => i.OpenFiles);
        writer.WriteFamily("kansoku_agent_filter_dropped_records_total", "Records dropped by filters.", MetricKind.Counter);
        for (var i = 0; i < pipeline.Builders.Count; i++)
        {
            writer.WriteSample("kansoku_agent_filter_dropped_records_total", [new Label("input", inputs[i].Counters.Name)], pipeline.Builders[i].FilteredOut);
        }

        var outputs = pipeline.OutputCounters;
        OutputFamily(writer, outputs, "kansoku_agent_output_accepted_records_total", MetricKind.Counter, "Records accepted into an output's buffer.", c => c.Records);
        OutputFamily(writer, outputs, "kansoku_agent_output_accepted_bytes_total", MetricKind.Counter, "Bytes accepted into an output's buffer.", c => c.Bytes);
        OutputFamily(writer, outputs, "kansoku_agent_output_records_total", MetricKind.Counter, "Records delivered and acknowledged by the destination.", c => c.EmittedRecords);
        OutputFamily(writer, outputs, "kansoku_agent_output_bytes_total", MetricKind.Counter, "Bytes delivered and acknowledged by the destination.", c => c.EmittedBytes);
        OutputFamily(writer, outputs, "kansoku_agent_output_retries_total", MetricKind.Counter, "Delivery attempts retried.", c => c.Retries);
        OutputFamily(writer, outputs, "kansoku_agent_output_errors_total", MetricKind.Counter, "Batches whose delivery failed.", c => c.FailedBatches);
        OutputFamily(writer, outputs, "kansoku_agent_output_dropped_records_total", MetricKind.Counter, "Records dropped by a configured limit (0 unless one says so).", c => c.DroppedRecords);
        OutputFamily(writer, outputs, "kansoku_agent_output_buffered_bytes", MetricKind.Gauge, "Bytes waiting in an output's disk buffer.", c => c.BufferedBytes);

        if (pipeline.KubernetesStats is { } kubernetes)
        {
            Single(writer, "kansoku_agent_kubernetes_api_errors_total", "Failed requests to the Kubernetes API server (logged with the reason).", kubernetes.Errors);
            Single(writer, "kansoku_agent_kubernetes_watch_restarts_total", "Watches of the Kubernetes API that were restarted.", kubernetes.WatchRestarts);
            Single(writer, "kansoku_agent_kubernetes_events_total", "Watch events received from the Kubernetes API.", kubernetes.Events);
        }
        Single(writer, "kansoku_agent_checkpoint_saves_total", "Checkpoint file saves.", pipeline.Checkpointer.Saves);
        Single(writer, "kansoku_agent_committed_records_total", "Records in batches every output accepted.", pipeline.Committer.CommittedRecords);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void InputFamily(ExpositionWriter writer, IReadOnlyList<TailInput> inputs, string name, MetricKind kind, string help,
        Func<TailInput, long> value)
    {
        writer.WriteFamily(name, help, kind);
        foreach (var input in inputs)
        {
            writer.WriteSample(name, [new Label("input", input.Counters.Name)], value(input));
        }
    }

    private static void OutputFamily(ExpositionWriter writer, IReadOnlyList<ComponentCounters> outputs, string name, MetricKind kind, string help,
        Func<ComponentCounters, long> value)
    {
        writer.WriteFamily(name, help, kind);
        foreach (var counters in outputs)
        {
            writer.WriteSample(name, [new Label("output", counters.Name)], value(counters));
        }
    }

    /// <summary>A family of one unlabelled counter.</summary>
    private static void Single(ExpositionWriter writer, string name, string help, long value)
    {
        writer.WriteFamily(name, help, MetricKind.Counter);
        writer.WriteSample(name, [], value);
    }
}
