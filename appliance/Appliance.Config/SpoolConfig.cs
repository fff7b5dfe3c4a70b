namespace Appliance.Config;

/// <summary><c>[spool]</c>: the store-and-forward queue between telemetry and the broker.</summary>
/// <param name="Path">Absolute path of the SQLite database.</param>
/// <param name="MaxBytes">Largest size of the spool; when full, the oldest messages are dropped, counted and alarmed.</param>
public sealed record SpoolConfig(string Path, long MaxBytes);
