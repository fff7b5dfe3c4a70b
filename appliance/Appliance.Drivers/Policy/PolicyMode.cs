namespace Appliance.Drivers.Policy;

/// <summary>What the drivers may reach. The mode is chosen in the configuration and can be switched at run time.</summary>
public enum PolicyMode
{
    /// <summary>Sensor files only: no connection at all (the default).</summary>
    DataDiode,

    /// <summary>Sensor files and the allowlisted endpoints.</summary>
    SecureChannel,

    /// <summary>Nothing: no file, no connection.</summary>
    Lockdown,

    /// <summary>
    /// Everything, any endpoint: what a misconfiguration costs. Refused unless the configuration allows it, announced on
    /// every status output while active, and audited.
    /// </summary>
    Breach,
}

/// <summary>The modes' names as the configuration, the status and the audit log write them.</summary>
public static class PolicyModes
{
    public static string Name(PolicyMode mode) => mode switch
    {
        PolicyMode.DataDiode => "data-diode",
        PolicyMode.SecureChannel => "secure-channel",
        PolicyMode.Lockdown => "lockdown",
        PolicyMode.Breach => "breach",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static bool TryParse(string? name, out PolicyMode mode)
    {
        foreach (PolicyMode candidate in Enum.GetValues<PolicyMode>())
        {
            if (string.Equals(name, Name(candidate), StringComparison.Ordinal))
            {
                mode = candidate;
                return true;
            }
        }

        mode = PolicyMode.DataDiode;
        return false;
    }

    /// <summary>Sensor files are readable in this mode.</summary>
    public static bool AllowsFiles(PolicyMode mode) => mode != PolicyMode.Lockdown;
}
