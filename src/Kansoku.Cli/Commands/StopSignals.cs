using System.Runtime.InteropServices;

namespace Kansoku.Cli.Commands;

/// <summary>
/// SIGTERM (the kubelet stopping a pod) and SIGINT as a cancellation token, so a command can stop gracefully in its own
/// time. System.CommandLine 2.0.0 does not handle them (its ProcessTerminationTimeout is null:
/// dotnet/command-line-api#2739), and where it does it ends the process after its own timeout, cutting a drain short;
/// Program.cs turns it off.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _sigterm;
    private readonly PosixSignalRegistration _sigint;

    public StopSignals(Action<PosixSignal> onStop, CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            onStop(context.Signal);
            _stop.Cancel();
        }
    }

    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _sigterm.Dispose();
        _sigint.Dispose();
        _stop.Dispose();
    }
}
