namespace Appliance.Tests.Cli;

public sealed class VersionAndUsageTests
{
    [Fact]
    public async Task VersionPrintsTheProductVersionAndExitsZero()
    {
        (int code, string stdout, string stderr) = await Product.RunAsync("--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^appliance \d+\.\d+\.\d+ \(linux-x64, \.NET \d+\.\d+\.\d+\)\n$", stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("config", "frobnicate")]
    [InlineData("config", "check")]
    [InlineData("run")]
    [InlineData("run", "--config")]
    [InlineData("--version", "extra")]
    public async Task AWrongCommandLineExitsTwoWithAMessageOnStderr(params string[] arguments)
    {
        (int code, string stdout, string stderr) = await Product.RunAsync(arguments);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("appliance: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoArgumentsPrintsTheHelpOnStderrAndExitsTwo()
    {
        (int code, _, string stderr) = await Product.RunAsync();

        Assert.Equal(2, code);
        Assert.Contains("appliance run --config FILE", stderr, StringComparison.Ordinal);
    }
}
