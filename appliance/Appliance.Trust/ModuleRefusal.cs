namespace Appliance.Trust;

/// <summary>Why a module was refused before a byte of it was decoded.</summary>
public enum ModuleRefusal
{
    /// <summary>There is no signature (or no manifest) beside the module.</summary>
    Unsigned,

    /// <summary>The signature is not 64 bytes: stripped or truncated.</summary>
    MalformedSignature,

    /// <summary>The manifest is not one this version reads.</summary>
    MalformedManifest,

    /// <summary>The manifest names a signing key that is not trusted.</summary>
    UntrustedKey,

    /// <summary>The signature does not verify with the key the manifest names: the manifest or the signature was altered.</summary>
    BadSignature,

    /// <summary>The module's SHA-256 is not the manifest's: the module was altered, or the manifest is another module's.</summary>
    HashMismatch,

    /// <summary>The manifest names another module or another world than expected.</summary>
    WrongModule,

    /// <summary>The version is lower than the highest already accepted for that name.</summary>
    Rollback,
}

/// <summary>A module refused by <see cref="ModuleVerifier"/>, with what and why.</summary>
public sealed class ModuleRefusedException : Exception
{
    public ModuleRefusedException()
    {
    }

    public ModuleRefusedException(string message)
        : base(message)
    {
    }

    public ModuleRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ModuleRefusedException(ModuleRefusal reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public ModuleRefusal Reason { get; }
}
