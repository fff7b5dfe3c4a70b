namespace Appliance.Config;

/// <summary>
/// <c>[control]</c>: the daemon's control channel, a Unix socket for the console and <c>appliance status</c> / <c>policy
/// set</c>, one JSON request per line.
/// </summary>
/// <param name="Socket">The socket's path; empty (the default): no control channel. The appliance's image sets <see cref="RecommendedSocket"/>.</param>
/// <param name="Group">The group whose members may connect (besides root), when it exists: the socket is root:GROUP, mode 0660.</param>
/// <param name="PinFile">The file holding the Argon2id hash of the PIN a policy switch needs (<c>appliance pin set</c>).</param>
/// <param name="PinState">Where the lock-out after wrong PINs is kept (on the data partition).</param>
/// <param name="AllowFaultInjection">Whether clients may switch fault injection on and off.</param>
public sealed record ControlConfig(string Socket, string Group, string PinFile, string PinState, bool AllowFaultInjection)
{
    /// <summary>Where the appliance's image puts the socket, and where <c>appliance status</c> looks by default.</summary>
    public const string RecommendedSocket = "/run/appliance/control.sock";

    public static ControlConfig Default { get; } = new("", "appliance-console", "/etc/appliance/console.pin", "/var/lib/appliance/pin-lockout.json", false);
}
