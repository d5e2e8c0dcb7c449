namespace Kansoku.Cli.Tests.Logs;

/// <summary>One stored entry of <see cref="FakeLoki"/>.</summary>
internal sealed record FakeLokiEntry(IReadOnlyList<(string Name, string Value)> Labels, long Time, string Line)
{
    public string LabelsKey => string.Join(',', Labels.Select(l => $"{l.Name}={l.Value}"));

    /// <summary>An entry of container <paramref name="container"/> in pod <paramref name="pod"/> of namespace shop.</summary>
    public static FakeLokiEntry Of(string pod, string container, long time, string line, string stream = "stdout", string ns = "shop") =>
        new([("container", container), ("namespace", ns), ("pod", pod), ("stream", stream)], time, line);

    /// <summary>An agent record, <c>{"log":…,"stream":…,"kubernetes":{…}}</c>.</summary>
    public static string Record(string log, string pod = "web-1", string container = "web", string? dockerId = null) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["time"] = "2026-11-25T08:00:00.000000000Z",
            ["stream"] = "stdout",
            ["log"] = log,
            ["kubernetes"] = dockerId is null
                ? new Dictionary<string, string> { ["pod_name"] = pod, ["namespace_name"] = "shop", ["container_name"] = container }
                : new Dictionary<string, string> { ["pod_name"] = pod, ["namespace_name"] = "shop", ["container_name"] = container, ["docker_id"] = dockerId },
        });
}
