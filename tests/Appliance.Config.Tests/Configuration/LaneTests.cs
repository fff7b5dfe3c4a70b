using System.Text;

namespace Appliance.Config.Tests.Configuration;

/// <summary><c>[tmr] lanes</c>: the voting lanes as <c>engine:guest</c>, as many as the mode votes with, each mistake reported at its item.</summary>
public sealed class LaneTests
{
    [Fact]
    public void WithoutLanesTheDefaultIsDiverseAndCutToTheMode()
    {
        Assert.Equal(
            ["wasmtime:modbus-parser", "interpreter:modbus-parser", "wasmtime:modbus-parser-c"],
            Bind("mode = \"2oo3\"\n").Lanes.Select(lane => lane.ToString()));
        Assert.Equal(
            ["wasmtime:modbus-parser", "interpreter:modbus-parser"],
            Bind("mode = \"1oo2\"\n").Lanes.Select(lane => lane.ToString()));
    }

    [Fact]
    public void TheLanesAreBoundInOrder()
    {
        TmrConfig tmr = Bind("mode = \"1oo2\"\nlanes = [\"interpreter:modbus-parser-c\", \"wasmtime:modbus-parser\"]\n");

        Assert.Equal([new LaneConfig(SandboxEngine.Interpreter, "modbus-parser-c"), new LaneConfig(SandboxEngine.Wasmtime, "modbus-parser")], tmr.Lanes);
    }

    [Theory]
    [InlineData("lanes = [\"v8:modbus-parser\", \"interpreter:modbus-parser\", \"wasmtime:modbus-parser\"]", "5:10: tmr.lanes entry \"v8:modbus-parser\" must be \"engine:guest\" with the engine wasmtime or interpreter")]
    [InlineData("lanes = [\"wasmtime\", \"interpreter:modbus-parser\", \"wasmtime:modbus-parser\"]", "5:10: tmr.lanes entry \"wasmtime\" must be \"engine:guest\"")]
    [InlineData("lanes = [\"wasmtime:modbus-parser\", \"interpreter:modbus-parsr\", \"wasmtime:modbus-parser\"]", "5:36: tmr.lanes entry \"interpreter:modbus-parsr\" names the guest \"modbus-parsr\", which this build does not have; the parser guests are modbus-parser, modbus-parser-c; did you mean \"modbus-parser\"?")]
    [InlineData("lanes = [\"wasmtime:modbus-parser\", \"interpreter:modbus-parser\"]", "5:9: tmr.lanes lists 2 lanes but mode \"2oo3\" votes with 3; list at least 3")]
    [InlineData("lanes = [\"wasmtime:modbus-parser\", 2, \"wasmtime:modbus-parser\"]", "5:36: tmr.lanes must hold only strings, not an integer")]
    [InlineData("lanes = \"wasmtime:modbus-parser\"", "5:9: tmr.lanes must be a list of strings, not a string")]
    public void AMistakeInTheLanesIsReportedAtItsItem(string line, string expected)
    {
        ConfigLoadResult result = Parse("mode = \"2oo3\"\n" + line + "\n");

        Assert.False(result.IsValid);
        string[] lines = [.. result.Errors.Select(error => $"{error.Line}:{error.Column}: {error.Message}")];
        Assert.True(lines.Any(reported => reported.StartsWith(expected, StringComparison.Ordinal)), $"expected \"{expected}\"; reported:\n{string.Join('\n', lines)}");
    }

    private static TmrConfig Bind(string tmr)
    {
        ConfigLoadResult result = Parse(tmr);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        return result.Config.Tmr;
    }

    private static ConfigLoadResult Parse(string tmr) =>
        ConfigLoader.Parse(Encoding.UTF8.GetBytes("[node]\nid = \"n\"\n[tmr]\n" + tmr + "[[device]]\nname = \"plc\"\nhost = \"127.0.0.1\"\n[[device.group]]\nname = \"g\"\n[[device.group.tag]]\nname = \"t\"\naddress = 0\n"), "test.toml", "/");
}
