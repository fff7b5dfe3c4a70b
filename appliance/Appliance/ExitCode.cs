namespace Appliance;

/// <summary>Process exit codes; each means one thing, so scripts and systemd can tell them apart.</summary>
internal enum ExitCode
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>A failure at run time: I/O, a peer, an unexpected fault.</summary>
    RuntimeFailure = 1,

    /// <summary>The command line or the configuration is wrong; nothing was started.</summary>
    UsageOrConfig = 2,

    /// <summary>A WebAssembly guest trapped.</summary>
    Trap = 3,
}
