using System.Globalization;
using Appliance.Gateway.Polling;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Supervision;

/// <summary>
/// Runs the gateway's long-running tasks (each poll group, the spool pump, the MQTT client, the status publisher) and
/// keeps them running: an exception that escapes a task, or a task that ends without being asked to, is logged, raised
/// as an alarm, counted, and the task is started again after a backoff that doubles with each failure in a row (from
/// <see cref="SupervisorOptions.InitialBackoff"/> to <see cref="SupervisorOptions.MaxBackoff"/>). Only an
/// <see cref="UnrecoverableFaultException"/> (or running out of memory) ends a task for good; it completes
/// <see cref="Unrecoverable"/> with the reason, and the gateway stops.
/// </summary>
public sealed class Supervisor
{
    private readonly Alarms _alarms;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SupervisorOptions _options;
    private readonly List<(SupervisedTask Task, Task Running)> _tasks = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<string> _unrecoverable = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Supervisor(Alarms alarms, TimeProvider time, ILogger logger, SupervisorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _alarms = alarms;
        _time = time;
        _logger = logger;
        _options = options ?? new SupervisorOptions();
    }

    /// <summary>Completes with the reason when a task hit a fault a restart cannot fix.</summary>
    public Task<string> Unrecoverable => _unrecoverable.Task;

    /// <summary>Every task started so far.</summary>
    public IReadOnlyList<SupervisedTask> Tasks
    {
        get
        {
            lock (_gate)
            {
                return [.. _tasks.Select(entry => entry.Task)];
            }
        }
    }

    /// <summary>Starts <paramref name="body"/> on the thread pool (so a body that never yields cannot hold up its caller) and keeps it running until <paramref name="stop"/> is cancelled.</summary>
    public SupervisedTask Start(string name, Func<CancellationToken, Task> body, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(body);
        var task = new SupervisedTask(name);
        Task running = Task.Run(() => SuperviseAsync(task, body, stop), CancellationToken.None);
        lock (_gate)
        {
            _tasks.Add((task, running));
        }

        return task;
    }

    /// <summary>Completes when every task whose name starts with <paramref name="prefix"/> (all when empty) has ended; call after cancelling their token.</summary>
    public Task WhenStoppedAsync(string prefix = "")
    {
        lock (_gate)
        {
            return Task.WhenAll(_tasks.Where(entry => entry.Task.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(entry => entry.Running));
        }
    }

    private async Task SuperviseAsync(SupervisedTask task, Func<CancellationToken, Task> body, CancellationToken stop)
    {
        int failuresInARow = 0;
        while (!stop.IsCancellationRequested)
        {
            task.Set(TaskState.Running);
            long started = _time.GetTimestamp();
            Exception failure;
            try
            {
                await body(stop).ConfigureAwait(false);
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                failure = new InvalidOperationException("it ended without being asked to stop");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is UnrecoverableFaultException or OutOfMemoryException)
            {
                string reason = $"{task.Name}: {e.Message}";
                task.Failed(e.Message, _time.GetUtcNow(), TaskState.Failed);
                Log.Unrecoverable(_logger, task.Name, e.Message);
                _alarms.Raise($"{task.Name} stopped the gateway: {e.Message}");
                _unrecoverable.TrySetResult(reason);
                return;
            }
            catch (Exception e)
            {
                failure = e;
            }

            failuresInARow = _time.GetElapsedTime(started) >= _options.HealthyAfter ? 1 : failuresInARow + 1;
            TimeSpan delay = Backoff(failuresInARow);
            string text = Describe(failure);
            task.Failed(text, _time.GetUtcNow(), TaskState.BackingOff);
            string delayText = delay.TotalSeconds >= 1
                ? delay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
                : delay.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
            Log.TaskFailed(_logger, task.Name, delayText, task.Restarts, text);
            _alarms.Raise($"{task.Name} failed and restarts in {delayText}: {text}");
            try
            {
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        task.Set(TaskState.Stopped);
    }

    private TimeSpan Backoff(int failuresInARow)
    {
        double factor = Math.Pow(2, Math.Min(failuresInARow - 1, 30));
        TimeSpan delay = _options.InitialBackoff * factor;
        return delay < _options.MaxBackoff ? delay : _options.MaxBackoff;
    }

    private static string Describe(Exception failure) =>
        failure is InvalidOperationException { Message: "it ended without being asked to stop" }
            ? failure.Message
            : $"{failure.GetType().Name}: {failure.Message}";
}
