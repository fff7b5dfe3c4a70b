namespace Appliance.Drivers.Files;

/// <summary>The WIT's <c>sensor-fs.fs-error</c>, in its order (the canonical ABI's discriminants).</summary>
public enum FsError : byte
{
    Denied,
    NotFound,
    WrongKind,
    TooLarge,
    Io,
}
