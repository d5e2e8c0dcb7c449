using System.Globalization;
using System.Text;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Http;

/// <summary>The agent's own metrics in Prometheus text format 0.0.4, named like Fluent Bit's with a kansoku_agent_ prefix.</summary>
internal static class AgentMetrics
{
    public static string Render(AgentPipeline pipeline)
    {
        var text = new StringBuilder(4096);
        var inputs = pipeline.Inputs;
        Family(text, "kansoku_agent_input_records_total", "counter", "Records read by an input.");
        foreach (var input in inputs)
        {
            Sample(text, "kansoku_agent_input_records_total", "input", input.Counters.Name, input.Counters.Records);
        }
        Family(text, "kansoku_agent_input_bytes_total", "counter", "Content bytes read by an input.");
        foreach (var input in inputs)
        {
            Sample(text, "kansoku_agent_input_bytes_total", "input", input.Counters.Name, input.Counters.Bytes);
        }
        Family(text, "kansoku_agent_input_malformed_lines_total", "counter", "Lines not valid for their file's format, skipped.");
        foreach (var input in inputs)
        {
            Sample(text, "kansoku_agent_input_malformed_lines_total", "input", input.Counters.Name, input.MalformedLines);
        }
        Family(text, "kansoku_agent_input_skipped_bytes_total", "counter", "Bytes of over-long lines skipped by Skip_Long_Lines (0 unless asked for).");
        foreach (var input in inputs)
        {
            Sample(text, "kansoku_agent_input_skipped_bytes_total", "input", input.Counters.Name, input.SkippedBytes);
        }
        Family(text, "kansoku_agent_input_files_open", "gauge", "Files an input is following.");
        foreach (var input in inputs)
        {
            Sample(text, "kansoku_agent_input_files_open", "input", input.Counters.Name, input.OpenFiles);
        }
        Family(text, "kansoku_agent_filter_dropped_records_total", "counter", "Records dropped by filters.");
        for (var i = 0; i < pipeline.Builders.Count; i++)
        {
            Sample(text, "kansoku_agent_filter_dropped_records_total", "input", inputs[i].Counters.Name, pipeline.Builders[i].FilteredOut);
        }

        var outputs = pipeline.OutputCounters;
        OutputFamily(text, outputs, "kansoku_agent_output_accepted_records_total", "counter", "Records accepted into an output's buffer.", c => c.Records);
        OutputFamily(text, outputs, "kansoku_agent_output_accepted_bytes_total", "counter", "Bytes accepted into an output's buffer.", c => c.Bytes);
        OutputFamily(text, outputs, "kansoku_agent_output_records_total", "counter", "Records delivered and acknowledged by the destination.", c => c.EmittedRecords);
        OutputFamily(text, outputs, "kansoku_agent_output_bytes_total", "counter", "Bytes delivered and acknowledged by the destination.", c => c.EmittedBytes);
        OutputFamily(text, outputs, "kansoku_agent_output_retries_total", "counter", "Delivery attempts retried.", c => c.Retries);
        OutputFamily(text, outputs, "kansoku_agent_output_errors_total", "counter", "Batches whose delivery failed.", c => c.FailedBatches);
        OutputFamily(text, outputs, "kansoku_agent_output_dropped_records_total", "counter", "Records dropped by a configured limit (0 unless one says so).", c => c.DroppedRecords);
        OutputFamily(text, outputs, "kansoku_agent_output_buffered_bytes", "gauge", "Bytes waiting in an output's disk buffer.", c => c.BufferedBytes);

        if (pipeline.KubernetesStats is { } kubernetes)
        {
            Family(text, "kansoku_agent_kubernetes_api_errors_total", "counter", "Failed requests to the Kubernetes API server (logged with the reason).");
            text.Append("kansoku_agent_kubernetes_api_errors_total ").Append(kubernetes.Errors.ToString(CultureInfo.InvariantCulture)).Append('\n');
            Family(text, "kansoku_agent_kubernetes_watch_restarts_total", "counter", "Watches of the Kubernetes API that were restarted.");
            text.Append("kansoku_agent_kubernetes_watch_restarts_total ").Append(kubernetes.WatchRestarts.ToString(CultureInfo.InvariantCulture)).Append('\n');
            Family(text, "kansoku_agent_kubernetes_events_total", "counter", "Watch events received from the Kubernetes API.");
            text.Append("kansoku_agent_kubernetes_events_total ").Append(kubernetes.Events.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        Family(text, "kansoku_agent_checkpoint_saves_total", "counter", "Checkpoint file saves.");
        text.Append("kansoku_agent_checkpoint_saves_total ").Append(pipeline.Checkpointer.Saves.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Family(text, "kansoku_agent_committed_records_total", "counter", "Records in batches every output accepted.");
        text.Append("kansoku_agent_committed_records_total ").Append(pipeline.Committer.CommittedRecords.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    private static void OutputFamily(StringBuilder text, IReadOnlyList<ComponentCounters> outputs, string name, string type, string help, Func<ComponentCounters, long> value)
    {
        Family(text, name, type, help);
        foreach (var counters in outputs)
        {
            Sample(text, name, "output", counters.Name, value(counters));
        }
    }

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string label, string labelValue, long value) =>
        text.Append(name).Append('{').Append(label).Append("=\"").Append(labelValue).Append("\"} ")
            .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
