using System.Text.Json.Nodes;
using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Tests.Outputs;

internal static class OutputTestKit
{
    public static readonly SourceLocation Location = new("test.conf", 1, 1);

    public static ComponentSpec Spec(string type, params (string Key, string Value)[] properties)
    {
        var spec = new ComponentSpec(ComponentKind.Output, type, Location);
        foreach (var (key, value) in properties)
        {
            spec.Add(key, value, Location);
        }
        return spec;
    }

    public static OutputContext Context(string stateDirectory, string name = "out.0", TimeProvider? time = null, StringWriter? log = null) =>
        new(name, stateDirectory, new ComponentCounters("output", name), log is null ? AgentLog.Null : new AgentLog(log), time ?? TimeProvider.System);

    /// <summary>A record in Fluent Bit's Kubernetes shape.</summary>
    public static string Record(string log, string time = "2026-11-25T08:00:00.123456789Z", string pod = "web-7d9f-abcde",
        string ns = "default", string? app = "web", string? appName = "web", string stream = "stdout")
    {
        var labels = new JsonObject();
        if (app is not null)
        {
            labels["app"] = app;
        }
        if (appName is not null)
        {
            labels["app.kubernetes.io/name"] = appName;
        }
        var record = new JsonObject
        {
            ["time"] = time,
            ["stream"] = stream,
            ["log"] = log,
            ["kubernetes"] = new JsonObject
            {
                ["namespace_name"] = ns,
                ["pod_name"] = pod,
                ["pod_id"] = "5b1c7a2e-uid",
                ["container_name"] = "web",
                ["docker_id"] = new string('a', 64),
                ["host"] = "node-1",
                ["container_image"] = "registry/web:1.2",
                ["labels"] = labels,
            },
        };
        return record.ToJsonString();
    }

    public static byte[] Batch(params string[] records) => System.Text.Encoding.UTF8.GetBytes(string.Join('\n', records) + "\n");

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(5);
        }
    }
}
