namespace Kansoku.Server.Prometheus;

/// <summary>
/// The server-wide facts of <c>/api/v1/status/runtimeinfo</c>, <c>/status/config</c> and <c>/status/flags</c> that only
/// the composition root knows (configuration reloads, retention, flags). Thread-safe.
/// </summary>
internal interface IServerStatusView
{
    bool ReloadConfigSuccess { get; }

    DateTimeOffset? LastConfigTime { get; }

    /// <summary>As Prometheus words it, e.g. <c>15d</c> or <c>15d or 10GiB</c>.</summary>
    string StorageRetention { get; }

    /// <summary>Blocks or WAL segments found corrupt and repaired since start.</summary>
    long CorruptionCount { get; }

    /// <summary>The loaded configuration file as YAML.</summary>
    string ConfigYaml { get; }

    /// <summary>Command-line flags by name, without the dashes.</summary>
    IReadOnlyDictionary<string, string> Flags { get; }
}
