using System.Net;
using Appliance.Drivers.Policy;

namespace Appliance.Drivers.Tests.Policy;

/// <summary>
/// Endpoints are parsed, never compared as strings: with 10.0.0.50:502 allowlisted, Secure Channel lets through that
/// exact address and port and nothing that merely looks like it.
/// </summary>
public sealed class EndpointTests
{
    private static readonly DriverPolicy SecureChannel = new(PolicyMode.SecureChannel, [Parse("10.0.0.50:502"), Parse("[fd00::50]:502")], breachAllowed: false, audit: null);

    [Theory]
    [InlineData("10.0.0.50:502")]
    [InlineData("[fd00::50]:502")]
    [InlineData("[fd00:0:0::50]:502")] // the same IPv6 address, written longer
    public void TheAllowlistedEndpointPasses(string text)
    {
        Assert.True(Endpoint.TryParse(text, out Endpoint endpoint, out string problem), problem);
        Assert.True(SecureChannel.MayConnect(endpoint));
    }

    /// <summary>Each spelling that must not reach 10.0.0.50:502's permission: parsed as another endpoint (denied) or refused.</summary>
    [Theory]
    [InlineData("10.0.0.50:5020", true)]          // another port
    [InlineData("10.0.0.5:502", true)]            // another address with the same prefix
    [InlineData("10.0.0.50:50", true)]
    [InlineData("[::ffff:10.0.0.50]:502", true)]  // IPv4-mapped IPv6 is an IPv6 address
    [InlineData("[::10.0.0.50]:502", true)]
    [InlineData("10.0.0.500:502", false)]
    [InlineData("010.0.0.50:502", false)]         // octal in inet_aton
    [InlineData("10.0.0.050:502", false)]
    [InlineData("0x0a.0.0.50:502", false)]        // hexadecimal
    [InlineData("167772210:502", false)]          // the address as one integer
    [InlineData("10.50:502", false)]              // shortened
    [InlineData("10.0.0.50.evil.example:502", false)]
    [InlineData("10.0.0.50:502,10.0.0.66:443", false)]
    [InlineData("10.0.0.50:502 10.0.0.66:443", false)]
    [InlineData("10.0.0.50:502\n10.0.0.66:443", false)]
    [InlineData("10.0.0.50:502\0", false)]
    [InlineData(" 10.0.0.50:502", false)]
    [InlineData("10.0.0.50:0502", false)]         // leading zero in the port
    [InlineData("10.0.0.50:+502", false)]
    [InlineData("10.0.0.50:65538", false)]
    [InlineData("10.0.0.50:", false)]
    [InlineData("10.0.0.50", false)]
    [InlineData("10.0.0.50:502:", false)]
    [InlineData("[10.0.0.50]:502", false)]
    [InlineData("[fd00::50%eth0]:502", false)]   // a zone
    [InlineData("fd00::50:502", false)]           // IPv6 without brackets
    [InlineData("localhost:502", false)]
    [InlineData("１0.0.0.50:502", false)]         // a full-width digit
    [InlineData("", false)]
    public void EveryLookAlikeIsDeniedOrRefused(string text, bool parses)
    {
        bool parsed = Endpoint.TryParse(text, out Endpoint endpoint, out string problem);

        Assert.Equal(parses, parsed);
        if (parsed)
        {
            Assert.False(SecureChannel.MayConnect(endpoint), $"{text} parsed as {endpoint}, which the allowlist let through");
        }
        else
        {
            Assert.NotEmpty(problem);
        }
    }

    [Fact]
    public void TheModesDecideAsTheTableSays()
    {
        Endpoint allowlisted = Parse("10.0.0.50:502");
        Endpoint other = Parse("10.0.0.66:443");
        var policy = new DriverPolicy(PolicyMode.DataDiode, [allowlisted], breachAllowed: true, audit: null);

        var table = new List<(PolicyMode, bool, bool, bool)>();
        foreach (PolicyMode mode in Enum.GetValues<PolicyMode>())
        {
            Assert.Null(policy.Switch(mode, "test"));
            table.Add((mode, PolicyModes.AllowsFiles(mode), policy.MayConnect(allowlisted), policy.MayConnect(other)));
        }

        Assert.Equal(
            [
                (PolicyMode.DataDiode, true, false, false),
                (PolicyMode.SecureChannel, true, true, false),
                (PolicyMode.Lockdown, false, false, false),
                (PolicyMode.Breach, true, true, true),
            ],
            table);
    }

    [Fact]
    public void BreachIsRefusedUnlessTheConfigurationAllowsIt()
    {
        var policy = new DriverPolicy(PolicyMode.SecureChannel, [], breachAllowed: false, audit: null);

        string? refused = policy.Switch(PolicyMode.Breach, "operator");

        Assert.Contains("allow_breach", refused, StringComparison.Ordinal);
        Assert.Equal(PolicyMode.SecureChannel, policy.Mode);
        Assert.Throws<ArgumentException>(() => new DriverPolicy(PolicyMode.Breach, [], breachAllowed: false, audit: null));
    }

    [Fact]
    public void ASwitchedModeIsTheModeAtTheNextStartAndBreachOnlyWhileAllowed()
    {
        using var dir = new Appliance.Testing.TempDirectory();
        string state = Path.Combine(dir.Path, "state", "policy-mode");
        var before = new DriverPolicy(PolicyMode.DataDiode, [], breachAllowed: true, audit: null, statePath: state);
        Assert.Equal(PolicyMode.DataDiode, before.Mode);

        before.Switch(PolicyMode.Lockdown, "test");
        Assert.Equal(PolicyMode.Lockdown, new DriverPolicy(PolicyMode.DataDiode, [], breachAllowed: false, audit: null, statePath: state).Mode);

        before.Switch(PolicyMode.Breach, "test");
        Assert.Equal(PolicyMode.Breach, new DriverPolicy(PolicyMode.DataDiode, [], breachAllowed: true, audit: null, statePath: state).Mode);
        Assert.Equal(PolicyMode.SecureChannel, new DriverPolicy(PolicyMode.SecureChannel, [], breachAllowed: false, audit: null, statePath: state).Mode); // no longer allowed: the configured mode
    }

    [Fact]
    public void ParsedEndpointsPrintAsWritten()
    {
        Assert.Equal("10.0.0.50:502", Parse("10.0.0.50:502").ToString());
        Assert.Equal("[fd00::50]:502", Parse("[fd00:0::50]:502").ToString());
        Assert.Equal(IPAddress.Parse("10.0.0.50"), Parse("10.0.0.50:502").Address);
    }

    private static Endpoint Parse(string text) =>
        Endpoint.TryParse(text, out Endpoint endpoint, out string problem) ? endpoint : throw new ArgumentException(problem);
}
