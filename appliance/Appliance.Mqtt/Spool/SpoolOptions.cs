namespace Appliance.Mqtt.Spool;

/// <summary>Where the spool lives, how large it may grow, and whom it tells when it is full.</summary>
public sealed class SpoolOptions
{
    /// <summary>Path of the SQLite database; its directory is created. The WAL file (<c>-wal</c>) sits beside it.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// Largest total size of the queued messages (payload + topic + <see cref="Spool.RowOverhead"/> each). When a new
    /// message would not fit, the oldest are dropped, counted and alarmed.
    /// </summary>
    public required long MaxBytes { get; init; }

    /// <summary>Most messages (enqueues and deletions together) in one group commit.</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>Called after a commit that dropped messages because the spool was full; on the writer thread, keep it short.</summary>
    public Action<SpoolOverflow>? Overflowed { get; init; }

    /// <summary>Clock for the enqueue time stored with each message (it decides what is historical).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public Microsoft.Extensions.Logging.ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
