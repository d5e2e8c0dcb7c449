namespace Kansoku.Server;

/// <summary>How <c>kansoku server</c> runs.</summary>
/// <param name="Listen">host:port; port 0 picks a free one (tests).</param>
/// <param name="MaxRequestBytes">Largest ingest body accepted; larger requests get 413.</param>
internal sealed record KansokuServerOptions(string DataDirectory, string Listen, long MaxRequestBytes = 64L << 20)
{
    /// <summary>Loki's port: Grafana's Loki data source, logcli and the agent's loki output default to it.</summary>
    public const string DefaultListen = "127.0.0.1:3100";
}
