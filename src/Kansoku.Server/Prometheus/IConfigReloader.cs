namespace Kansoku.Server.Prometheus;

/// <summary>What <c>POST /-/reload</c> (and SIGHUP) asks of the server: read the configuration file again and apply it.</summary>
internal interface IConfigReloader
{
    /// <summary>Null on success; otherwise why the file was refused (the running configuration is kept).</summary>
    Task<string?> ReloadAsync();
}
