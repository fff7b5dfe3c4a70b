namespace Appliance.Gateway.Supervision;

/// <summary>How the <see cref="Supervisor"/> paces restarts.</summary>
public sealed class SupervisorOptions
{
    /// <summary>The wait before the first restart; it doubles with every failure in a row.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between restarts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A task that ran this long before failing starts its backoff over from <see cref="InitialBackoff"/>.</summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(60);
}
