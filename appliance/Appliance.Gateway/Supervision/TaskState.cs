namespace Appliance.Gateway.Supervision;

/// <summary>Where a supervised task is in its life.</summary>
public enum TaskState
{
    /// <summary>Running its body.</summary>
    Running,

    /// <summary>Its body failed; it waits out its backoff before the restart.</summary>
    BackingOff,

    /// <summary>Stopped because the gateway is stopping.</summary>
    Stopped,

    /// <summary>Stopped by a fault a restart cannot fix.</summary>
    Failed,
}
