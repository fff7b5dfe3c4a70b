namespace Appliance.Testing;

/// <summary>
/// A clock that moves only when the test says so. Timers fire inside <see cref="Advance"/>, in due order;
/// a test can wait (in real time, as a failure guard only) until the code under test has armed a timer.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TaskCompletionSource _changed = NewSignal();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = target;
                    break;
                }

                _now = next.Due > _now ? next.Due : _now;
                if (next.Period > TimeSpan.Zero)
                {
                    next.Due += next.Period;
                }
                else
                {
                    _timers.Remove(next);
                }
            }

            next.Fire();
        }

        Signal();
    }

    /// <summary>Moves the clock to <paramref name="at"/> once a timer due then is armed.</summary>
    public async Task AdvanceToTimerAsync(DateTimeOffset at)
    {
        await WaitForTimerAsync(due => due == at, $"a timer due at {at:O}");
        Advance(at - GetUtcNow());
    }

    /// <summary>Moves the clock by <paramref name="delay"/> once a timer due then (from now) is armed.</summary>
    public Task AdvanceToTimerAsync(TimeSpan delay) => AdvanceToTimerAsync(GetUtcNow() + delay);

    /// <summary>Waits until an armed timer's due time satisfies <paramref name="predicate"/>.</summary>
    public async Task WaitForTimerAsync(Func<DateTimeOffset, bool> predicate, string what)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_timers.Any(t => predicate(t.Due)))
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                string armed;
                lock (_gate)
                {
                    armed = string.Join(", ", _timers.Select(t => (t.Due - _now).ToString()));
                }

                throw new TimeoutException($"no {what} was armed in time; armed timers are due in: [{armed}]");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private sealed class ManualTimer : ITimer
    {
        private readonly ManualTimeProvider _owner;
        private readonly TimerCallback _callback;
        private readonly object? _state;

        public ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state)
        {
            _owner = owner;
            _callback = callback;
            _state = state;
        }

        public DateTimeOffset Due { get; set; }

        public TimeSpan Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool fireNow = false;
            lock (_owner._gate)
            {
                _owner._timers.Remove(this);
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    Due = _owner._now + dueTime;
                    if (dueTime == TimeSpan.Zero && Period == TimeSpan.Zero)
                    {
                        fireNow = true;
                    }
                    else
                    {
                        _owner._timers.Add(this);
                    }
                }
            }

            if (fireNow)
            {
                ThreadPool.QueueUserWorkItem(_ => Fire());
            }

            _owner.Signal();
            return true;
        }

        public void Fire() => _callback(_state);

        public void Dispose()
        {
            lock (_owner._gate)
            {
                _owner._timers.Remove(this);
            }

            _owner.Signal();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
