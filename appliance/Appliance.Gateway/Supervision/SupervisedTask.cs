namespace Appliance.Gateway.Supervision;

/// <summary>One long-running task under the <see cref="Supervisor"/>: its name, state, and failures so far. Thread-safe snapshots.</summary>
public sealed class SupervisedTask
{
    private readonly Lock _gate = new();
    private TaskState _state = TaskState.Running;
    private long _restarts;
    private string _lastFailure = "";
    private DateTimeOffset? _lastFailureAt;

    internal SupervisedTask(string name)
    {
        Name = name;
    }

    /// <summary>What the task is ("poll plc-1/process", "spool pump", "status").</summary>
    public string Name { get; }

    public TaskState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>How often it failed and was started again.</summary>
    public long Restarts
    {
        get
        {
            lock (_gate)
            {
                return _restarts;
            }
        }
    }

    /// <summary>The last failure, "" when none.</summary>
    public string LastFailure
    {
        get
        {
            lock (_gate)
            {
                return _lastFailure;
            }
        }
    }

    /// <summary>When it last failed, or null.</summary>
    public DateTimeOffset? LastFailureAt
    {
        get
        {
            lock (_gate)
            {
                return _lastFailureAt;
            }
        }
    }

    internal void Set(TaskState state)
    {
        lock (_gate)
        {
            _state = state;
        }
    }

    internal void Failed(string failure, DateTimeOffset at, TaskState state)
    {
        lock (_gate)
        {
            _lastFailure = failure;
            _lastFailureAt = at;
            _state = state;
            if (state == TaskState.BackingOff)
            {
                _restarts++;
            }
        }
    }
}
