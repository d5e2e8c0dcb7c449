using System.Net;
using System.Net.Sockets;

namespace Kansoku.Testing.Peers;

/// <summary>
/// Debian's Prometheus (package prometheus, 2.42) run with a given configuration on 127.0.0.1 (a free port unless given)
/// with its own data directory (or a given one, e.g. backfilled). Disposing kills it and deletes what it created.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    public const string Promtool = "/usr/bin/promtool";

    private readonly TempDirectory _directory;
    private readonly ChildProcess _process;

    private PrometheusServer(TempDirectory directory, ChildProcess process, Uri address)
    {
        _directory = directory;
        _process = process;
        Address = address;
    }

    /// <summary>Why the peer tests cannot run here, or null.</summary>
    public static string? MissingReason { get; } = File.Exists(Binary) && File.Exists(Promtool)
        ? null
        : $"{Binary} or {Promtool} is missing: install Debian's prometheus package (apt-get install prometheus)";

    public Uri Address { get; }

    public string Output => _process.Output;

    public static async Task<PrometheusServer> StartAsync(string configYaml, IReadOnlyList<string>? flags = null,
        string? dataDirectory = null, int port = 0)
    {
        var directory = new TempDirectory();
        var config = Path.Combine(directory.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, configYaml);
        port = port == 0 ? FreePort() : port;
        var process = ChildProcess.Start(Binary,
        [
            $"--config.file={config}",
            $"--storage.tsdb.path={dataDirectory ?? Path.Combine(directory.Path, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            .. flags ?? [],
        ]);
        var server = new PrometheusServer(directory, process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await server.WaitReadyAsync();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private async Task WaitReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await client.GetAsync(new Uri(Address, "/-/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"prometheus was not ready within 60 s:\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Runs promtool with <paramref name="args"/> and returns its output; throws with it when promtool fails.</summary>
    public static async Task<string> PromtoolAsync(params string[] args)
    {
        using var promtool = ChildProcess.Start(Promtool, args);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!promtool.HasExited)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"promtool {string.Join(' ', args)} did not finish:\n{promtool.Output}");
            }
            await Task.Delay(50);
        }
        // Exited: wait for the output streams to be read to the end.
        promtool.Terminate(TimeSpan.FromSeconds(5));
        return promtool.ExitCode == 0
            ? promtool.Output
            : throw new InvalidOperationException($"promtool {string.Join(' ', args)} exited with {promtool.ExitCode}:\n{promtool.Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _process.Dispose();
        _directory.Dispose();
    }
}
