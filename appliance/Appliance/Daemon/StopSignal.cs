using System.Runtime.InteropServices;

namespace Appliance.Daemon;

/// <summary>
/// SIGTERM and SIGINT as a cancellation token: the first one cancels, and the process decides how to end
/// (the runtime's default, an immediate exit, is suppressed). Dispose to unregister.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;

    public StopSignal()
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that arrived ("SIGTERM", "SIGINT"), or "stop" when none did.</summary>
    public string Name { get; private set; } = "stop";

    /// <summary>Waits until a signal arrives or <paramref name="timeout"/> passes (infinite by default).</summary>
    public async Task WaitAsync(TimeSpan? timeout = null)
    {
        try
        {
            await Task.Delay(timeout ?? Timeout.InfiniteTimeSpan, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
    }

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Name = context.Signal.ToString();
        _stop.Cancel();
    }
}
