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

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public static ChildProcess Start(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// The real <c>kansoku</c> program: the binary <c>KANSOKU_BINARY</c> names (CI points it at the NativeAOT executable),
    /// else <c>dotnet kansoku.dll</c> from this test's output folder (the project references Kansoku.Cli).
    /// </summary>
    public static ChildProcess StartKansoku(params string[] args)
    {
        var binary = Environment.GetEnvironmentVariable("KANSOKU_BINARY");
        if (!string.IsNullOrEmpty(binary))
        {
            // The runner's working directory is the test output folder, not the shell's: a relative path would mislead.
            return Path.IsPathRooted(binary)
                ? Start(binary, args)
                : throw new InvalidOperationException($"KANSOKU_BINARY must be an absolute path, not '{binary}'");
        }
        return Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "kansoku.dll"), .. args]);
    }

    /// <summary>Everything the process wrote to stdout and stderr so far, interleaved as it arrived.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

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

    /// <summary>SIGTERM, the polite stop both kansoku and rsyslogd handle by flushing what they hold.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
