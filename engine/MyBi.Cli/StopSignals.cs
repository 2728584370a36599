using System.Runtime.InteropServices;

namespace MyBi.Cli;

/// <summary>
/// The process's one handler of SIGINT, SIGTERM and SIGQUIT. The first signal cancels <see cref="Token"/> and the
/// command stops in its own time (a server applies what it committed); nothing ends the process behind its back. A
/// second signal is left to the runtime, which ends the process at once.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public StopSignals()
    {
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
    }

    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) > 1)
        {
            return;
        }

        context.Cancel = true;

        // Off the runtime's signal thread: the cancellation callbacks run the command's whole shutdown.
        _ = Task.Run(_stop.Cancel);
    }
}
