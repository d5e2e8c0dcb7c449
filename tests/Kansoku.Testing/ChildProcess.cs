using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Kansoku.Testing;

/// <summary>
/// A program run as a child process with its output kept for failure messages: <c>kansoku server</c>, rsyslogd, prometheus.
/// Disposing kills it (and its children) if it is still running.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    /// <param name="environment">Variables to set (a null value removes one) on top of the test's environment.</param>
    public static ChildProcess Start(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data, child._stdout);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data, child._stderr);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// The real <c>kansoku</c> program: the binary <c>KANSOKU_BINARY</c> names (CI points it at the NativeAOT executable),
    /// else <c>dotnet kansoku.dll</c> from this test's output folder (the project references Kansoku.Cli).
    /// </summary>
    public static ChildProcess StartKansoku(params string[] args) => StartKansoku(new Dictionary<string, string?>(), args);

    /// <summary><see cref="StartKansoku(string[])"/> with <paramref name="environment"/> set (a null value removes a variable).</summary>
    public static ChildProcess StartKansoku(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        // Tests run in a pod must not make kansoku watch that cluster's API server.
        var variables = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = null };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }
        var binary = Environment.GetEnvironmentVariable("KANSOKU_BINARY");
        if (!string.IsNullOrEmpty(binary))
        {
            // The runner's working directory is the test output folder, not the shell's: a relative path would mislead.
            return Path.IsPathRooted(binary)
                ? Start(binary, args, variables)
                : throw new InvalidOperationException($"KANSOKU_BINARY must be an absolute path, not '{binary}'");
        }
        return Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "kansoku.dll"), .. args], variables);
    }

    /// <summary>Runs <c>kansoku</c> to completion; kills it and throws if it takes longer than <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunKansoku(TimeSpan timeout, params string[] args) =>
        RunKansoku(timeout, new Dictionary<string, string?>(), args);

    /// <summary><see cref="RunKansoku(TimeSpan, string[])"/> with <paramref name="environment"/> set as <see cref="StartKansoku(IReadOnlyDictionary{string, string?}, string[])"/> does.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunKansoku(TimeSpan timeout, IReadOnlyDictionary<string, string?> environment,
        params string[] args)
    {
        using var process = StartKansoku(environment, args);
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            throw new TimeoutException($"kansoku {string.Join(' ', args)} did not finish in {timeout}: {process.Stderr}");
        }
        return (process.ExitCode, process.Stdout, process.Stderr);
    }

    /// <summary>Everything the process wrote to stdout and stderr so far, interleaved as it arrived.</summary>
    public string Output => Text(_output);

    public string Stdout => Text(_stdout);

    public string Stderr => Text(_stderr);

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the exit and for the last of its output.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit();
        return true;
    }

    /// <summary>The address a <c>kansoku server</c> child announces once it listens (with port 0 it picks a free one).</summary>
    public async Task<Uri> ListeningAddressAsync(TimeSpan timeout)
    {
        const string Announcement = "listening on ";
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var output = Output;
            var at = output.IndexOf(Announcement, StringComparison.Ordinal);
            if (at >= 0)
            {
                var start = at + Announcement.Length;
                var end = output.IndexOf(' ', start);
                if (end > start)
                {
                    return new Uri(output[start..end]);
                }
            }
            if (HasExited)
            {
                throw new InvalidOperationException($"the process exited before it listened: {output}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the process did not start listening within {timeout}: {output}");
            }
            await Task.Delay(50);
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>SIGTERM, the polite stop both kansoku and rsyslogd handle by flushing what they hold (as the kubelet sends before a pod stops).</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }
    }

    /// <summary><see cref="Terminate()"/>, then waits for the exit; false if it did not come within <paramref name="timeout"/>.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        Terminate();
        return WaitForExit(timeout);
    }

    /// <summary>SIGKILL to it and its children: no chance to flush or checkpoint.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line, StringBuilder stream)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            stream.AppendLine(line);
        }
    }

    private string Text(StringBuilder stream)
    {
        lock (_output)
        {
            return stream.ToString();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
