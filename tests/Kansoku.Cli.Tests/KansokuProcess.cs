using System.Diagnostics;
using System.Text;

namespace Kansoku.Cli.Tests;

/// <summary>
/// The real <c>kansoku</c> program as a child process: the binary <c>KANSOKU_BINARY</c> names (CI sets it to the
/// published NativeAOT executable), else <c>dotnet kansoku.dll</c> beside the test assembly.
/// </summary>
internal sealed class KansokuProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private KansokuProcess(Process process)
    {
        _process = process;
    }

    public static KansokuProcess Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    /// <param name="environment">Variables to set (a null value removes one) on top of the test's environment.</param>
    public static KansokuProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var binary = Environment.GetEnvironmentVariable("KANSOKU_BINARY");
        if (!string.IsNullOrEmpty(binary) && !Path.IsPathRooted(binary))
        {
            // The test runner's working directory is the test output folder, not the shell's: a relative path would mislead.
            throw new InvalidOperationException($"KANSOKU_BINARY must be an absolute path, not '{binary}'");
        }
        var start = new ProcessStartInfo(string.IsNullOrEmpty(binary) ? "dotnet" : binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Tests run in a pod must not make the agent watch that cluster's API server.
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        if (string.IsNullOrEmpty(binary))
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kansoku.dll"));
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start };
        var wrapper = new KansokuProcess(process);
        process.OutputDataReceived += (_, e) => { lock (wrapper._stdout) { wrapper._stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (wrapper._stderr) { wrapper._stderr.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs to completion and returns the exit code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(TimeSpan timeout, params string[] args) =>
        Run(timeout, new Dictionary<string, string?>(), args);

    /// <summary>Runs to completion with <paramref name="environment"/> set as <see cref="Start(IReadOnlyDictionary{string, string?}, string[])"/> does.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(TimeSpan timeout, IReadOnlyDictionary<string, string?> environment,
        params string[] args)
    {
        using var process = Start(environment, args);
        if (!process._process.WaitForExit(timeout))
        {
            process.Kill();
            throw new TimeoutException($"kansoku {string.Join(' ', args)} did not finish in {timeout}: {process.Stderr}");
        }
        process._process.WaitForExit();
        return (process._process.ExitCode, process.Stdout, process.Stderr);
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no chance to flush or checkpoint.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, as the kubelet sends before a pod stops.</summary>
    public void Terminate()
    {
        _ = Syscall.Kill(_process.Id, Syscall.SigTerm);
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public int ExitCode => _process.ExitCode;

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static class Syscall
    {
        public const int SigTerm = 15;

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
