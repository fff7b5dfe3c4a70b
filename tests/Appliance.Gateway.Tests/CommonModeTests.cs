using System.Buffers.Binary;
using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;
using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>
/// What diversity buys, side by side. A common-mode bug (a build of the C parser that ignores the byte swap of 32- and
/// 64-bit values) in every lane of the old layout (three copies of one guest in one engine) is voted unanimous and
/// publishes wrong values unnoticed; the same bug in the default diverse layout sits in one lane, is outvoted, and is
/// reported as that lane's dissent on every frame it changes.
/// </summary>
public sealed class CommonModeTests
{
    private static readonly ParserRequest Request = new(0x0102, 1, 3, 0, 8);

    private static readonly ParserTag[] Tags =
    [
        new(0, TagKind.Float32, true, false, 0, 2, 1, 0),  // BADC
        new(2, TagKind.Int32, true, true, 0, 2, 1, 0),     // DCBA
        new(4, TagKind.UInt64, true, false, 0, 4, 1, 0),   // BADCFEHG
    ];

    private static readonly SandboxLimits Limits = SandboxOptionsMapping.Limits(
        ConfigLoader.Parse(ExampleConfig.Utf8, "example.toml", "/").Config!.Tmr);

    [Fact]
    public void TheDefaultLayoutHasTwoEnginesAndTwoGuests()
    {
        LaneSpec[] lanes = SandboxOptionsMapping.Lanes(LaneConfig.Default);

        Assert.Equal(3, lanes.Length);
        Assert.Equal(2, lanes.Select(lane => lane.Engine).Distinct().Count());
        Assert.Equal(2, lanes.Select(lane => lane.Guest).Distinct().Count());
    }

    [Fact]
    public void ACommonModeBugInEveryLaneOfTheOldLayoutIsVotedUnanimousAndGoesUnnoticed()
    {
        LaneSpec slipped = new(LaneEngine.Interpreter, "modbus-parser-c");
        using var lanes = new ParserLanes([slipped, slipped, slipped], WithSlip(), Limits);
        using ParserTriplet triplet = lanes.CreateTriplet(VotingMode.TwoOutOfThree, Tags);
        ParserInstance reference = ParserInstance.Create(ParserModule.Compile(Guest.ModbusParser, Limits), Tags);
        int wrong = 0;

        foreach (byte[] adu in Responses(200))
        {
            Assert.Equal(RunStatus.Completed, reference.Decode(Request, adu));
            VoteResult vote = triplet.Decode(Request, adu);

            Assert.Equal(Verdict.Unanimous, vote.Verdict);
            wrong += vote.Outcome.SequenceEqual(reference.LastOutcome) ? 0 : 1;
        }

        Assert.Equal(200, wrong);
        Assert.All(triplet.Statistics.Instances, lane => Assert.Equal(0, lane.Dissents));
    }

    [Fact]
    public void TheSameBugInTheDefaultDiverseLayoutIsOutvotedAndReportedOnEveryFrame()
    {
        using var lanes = new ParserLanes(SandboxOptionsMapping.Lanes(LaneConfig.Default), WithSlip(), Limits);
        using ParserTriplet triplet = lanes.CreateTriplet(VotingMode.TwoOutOfThree, Tags);
        ParserInstance reference = ParserInstance.Create(ParserModule.Compile(Guest.ModbusParser, Limits), Tags);

        foreach (byte[] adu in Responses(200))
        {
            Assert.Equal(RunStatus.Completed, reference.Decode(Request, adu));
            VoteResult vote = triplet.Decode(Request, adu);

            Assert.Equal(Verdict.Majority, vote.Verdict);
            Assert.True(vote.Outcome.SequenceEqual(reference.LastOutcome), "the voted outcome is not the correct one");
        }

        InstanceStatistics slippedLane = Assert.Single(triplet.Statistics.Instances, lane => lane.Lane == "wasmtime:modbus-parser-c");
        Assert.Equal(200, slippedLane.Dissents);
        Assert.All(triplet.Statistics.Instances.Where(lane => lane != slippedLane), lane => Assert.Equal(200, lane.Agreements));
    }

    [Fact]
    public async Task AGatewayWithTheSlipInOneLanePublishesAGoodMessageAndRaisesTheAlarm()
    {
        await using var simulator = new Modbus.Simulator.PlcSimulator(new Modbus.Simulator.PlcSimulatorOptions { Seed = 8 });
        simulator.Start();
        Func<string, string> badc = text => text.ReplaceExactly("order = \"ABCD\"", "order = \"BADC\"");
        await using var slipped = new TestGateway(simulator.Port, requestTimeout: "2s", edit: badc, guests: WithSlip());
        Gateway.Polling.GroupPoller group = slipped.Path.Devices[0].Groups[0];

        await group.PollOnceAsync(TimeProvider.System, CancellationToken.None);

        Assert.Equal("good", slipped.Sink.Last().GetProperty("quality").GetString());
        TripletStatistics voter = group.VoterStatistics;
        Assert.Equal(1, voter.Majority);
        Assert.Equal([0L, 0L, 1L], voter.Instances.Select(lane => lane.Dissents));
        Assert.Contains(slipped.Path.Alarms.Recent(), alarm => alarm.Text.Contains("lane wasmtime:modbus-parser-c disagreed with the other two", StringComparison.Ordinal));

        // The health message's lanes: the same counters, summed over the groups.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            slipped.Path.WriteLaneTotals(json);
            json.WriteEndObject();
        }

        using var health = System.Text.Json.JsonDocument.Parse(buffer.WrittenMemory);
        System.Text.Json.JsonElement[] lanes = [.. health.RootElement.GetProperty("lanes").EnumerateArray()];
        Assert.Equal(["wasmtime:modbus-parser", "interpreter:modbus-parser", "wasmtime:modbus-parser-c"], lanes.Select(lane => lane.GetProperty("lane").GetString()));
        Assert.Equal([0L, 0L, 1L], lanes.Select(lane => lane.GetProperty("disagreements").GetInt64()));
        Assert.Equal([1L, 1L, 0L], lanes.Select(lane => lane.GetProperty("agreements").GetInt64()));
    }

    [Fact]
    public async Task TheConfiguredLanesAreTheLanesOfEveryGroup()
    {
        const string Lockstep = "lanes = [\"interpreter:modbus-parser\", \"interpreter:modbus-parser\", \"interpreter:modbus-parser\"]";
        await using var lockstep = new TestGateway(5020, edit: text => text.ReplaceExactly("lanes = [\"wasmtime:modbus-parser\", \"interpreter:modbus-parser\", \"wasmtime:modbus-parser-c\"]", Lockstep));
        await using var diverse = new TestGateway(5020);

        Assert.Equal(["interpreter:modbus-parser", "interpreter:modbus-parser", "interpreter:modbus-parser"], lockstep.Path.Devices[0].Groups[0].VoterStatistics.Instances.Select(lane => lane.Lane));
        Assert.Equal(["wasmtime:modbus-parser", "interpreter:modbus-parser", "wasmtime:modbus-parser-c"], diverse.Path.Devices[0].Groups[0].VoterStatistics.Instances.Select(lane => lane.Lane));
    }

    /// <summary>The product's guests, with the C parser replaced by the build that has the slip.</summary>
    private static Dictionary<string, byte[]> WithSlip() => new(Guest.Parsers) { ["modbus-parser-c"] = Guest.ModbusParserCWithSlip };

    /// <summary>Valid responses whose registers make every byte-swapped value differ from its unswapped reading.</summary>
    private static IEnumerable<byte[]> Responses(int count)
    {
        var random = new Random(5);
        for (int i = 0; i < count; i++)
        {
            byte[] adu = new byte[9 + 16];
            BinaryPrimitives.WriteUInt16BigEndian(adu, Request.Transaction);
            BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), 3 + 16);
            adu[6] = Request.Unit;
            adu[7] = Request.Function;
            adu[8] = 16;
            for (int b = 9; b < adu.Length; b += 2)
            {
                adu[b] = (byte)random.Next(1, 128);      // the two bytes of a register always differ,
                adu[b + 1] = (byte)(adu[b] + 1);         // so a swap always changes the value; no NaN
            }

            yield return adu;
        }
    }
}
