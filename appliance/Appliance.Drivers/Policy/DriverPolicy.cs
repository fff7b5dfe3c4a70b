using Appliance.Drivers.Audit;

namespace Appliance.Drivers.Policy;

/// <summary>
/// The policy every driver's calls are decided by: the mode in force, the allowlist of endpoints and whether Breach may
/// be chosen at all. Read at every call, switched at run time (<see cref="Switch"/>): a switch takes effect on the next
/// call of every driver, and a connection the new mode forbids is closed on its next use. With a state file, the mode
/// switched to is kept there (written atomically) and is the mode at the next start: a power cut does not undo a
/// Lockdown an operator chose.
/// </summary>
public sealed class DriverPolicy
{
    private readonly HashSet<Endpoint> _allowlist;
    private readonly AuditLog? _audit;
    private readonly string? _statePath;
    private volatile int _mode;

    /// <param name="mode">The mode at start.</param>
    /// <param name="allowlist">The endpoints Secure Channel lets through.</param>
    /// <param name="breachAllowed">Whether Breach may be chosen (the configuration must say so).</param>
    /// <param name="audit">Where mode changes are written.</param>
    /// <param name="statePath">Where the switched mode is kept across restarts; null keeps it only in memory.</param>
    /// <exception cref="ArgumentException">Breach at start without <paramref name="breachAllowed"/>.</exception>
    public DriverPolicy(PolicyMode mode, IEnumerable<Endpoint> allowlist, bool breachAllowed, AuditLog? audit, string? statePath = null)
    {
        ArgumentNullException.ThrowIfNull(allowlist);
        if (mode == PolicyMode.Breach && !breachAllowed)
        {
            throw new ArgumentException("Breach mode needs the configuration's explicit permission", nameof(mode));
        }

        _allowlist = [.. allowlist];
        BreachAllowed = breachAllowed;
        _audit = audit;
        _statePath = statePath;
        string origin = "at start, from the configuration";
        if (statePath is not null && File.Exists(statePath) && PolicyModes.TryParse(File.ReadAllText(statePath).Trim(), out PolicyMode kept)
            && (kept != PolicyMode.Breach || breachAllowed))
        {
            mode = kept;
            origin = $"at start, kept from before the restart ({statePath})";
        }

        _mode = (int)mode;
        audit?.Write(new AuditEntry("mode", Mode: PolicyModes.Name(mode), Detail: origin));
    }

    public PolicyMode Mode => (PolicyMode)_mode;

    public bool BreachAllowed { get; }

    public IReadOnlyCollection<Endpoint> Allowlist => _allowlist;

    /// <summary>Raised after every switch, with the new mode.</summary>
    public event Action<PolicyMode>? Switched;

    /// <summary>Whether a connection to <paramref name="endpoint"/> is allowed in the current mode.</summary>
    public bool MayConnect(Endpoint endpoint) => MayConnect(Mode, endpoint);

    public bool MayConnect(PolicyMode mode, Endpoint endpoint) => mode switch
    {
        PolicyMode.Breach => true,
        PolicyMode.SecureChannel => _allowlist.Contains(endpoint),
        _ => false,
    };

    /// <summary>Switches the mode; refuses Breach unless the configuration allows it. <paramref name="by"/> says who asked (audited).</summary>
    /// <returns>Null when switched; otherwise why not.</returns>
    public string? Switch(PolicyMode mode, string by)
    {
        PolicyMode before = Mode;
        if (mode == PolicyMode.Breach && !BreachAllowed)
        {
            _audit?.Write(new AuditEntry("mode-refused", Mode: PolicyModes.Name(before), Detail: $"breach asked by {by}; the configuration does not allow it ([drivers] allow_breach)"));
            return "Breach mode is not allowed by the configuration ([drivers] allow_breach = true enables it)";
        }

        _mode = (int)mode;
        Keep(mode);
        _audit?.Write(new AuditEntry("mode", Mode: PolicyModes.Name(mode), Detail: $"from {PolicyModes.Name(before)}, by {by}"));
        Switched?.Invoke(mode);
        return null;
    }

    private void Keep(PolicyMode mode)
    {
        if (_statePath is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_statePath)) ?? ".");
        string temporary = _statePath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(PolicyModes.Name(mode) + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _statePath, overwrite: true);
    }
}
