using Appliance.Testing;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Appliance.Gateway.Polling;
using Appliance.Modbus;
using Appliance.Modbus.Simulator;

namespace Appliance.Gateway.Tests;

/// <summary>
/// The gateway against the PLC simulator in attack mode: 10,000 polls with 30 % of the replies taken from the
/// attack catalogue. Each poll's transaction id is looked up in the simulator's log of what it sent.
/// </summary>
public sealed class AttackAcceptanceTests
{
    /// <summary>The reasons a correct gateway may give for each attack (AttackKind documents why).</summary>
    private static readonly Dictionary<AttackKind, string[]> Expected = new()
    {
        [AttackKind.LengthTooLong] = ["timeout"],
        [AttackKind.LengthTooShort] = ["byte-count-mismatch", "truncated"],
        [AttackKind.LengthOutOfRange] = ["framing-error"],
        [AttackKind.TruncatedHeader] = ["connection-closed"],
        [AttackKind.WrongProtocolId] = ["protocol-id"],
        [AttackKind.WrongUnitId] = ["unit-mismatch"],
        [AttackKind.WrongTransactionId] = ["timeout"],
        [AttackKind.IllegalFunctionInReply] = ["function-mismatch", "bad-exception"],
        // Codes 7 and 9 are unassigned in Modbus v1.1b3 §7 but inside the 1..11 range the parser passes on as exceptions.
        [AttackKind.ExceptionUndefinedCode] = ["bad-exception", "exception-7", "exception-9"],
        [AttackKind.ByteCountTooLarge] = ["byte-count-mismatch"],
        [AttackKind.ByteCountTooSmall] = ["byte-count-mismatch"],
        [AttackKind.ByteCountOdd] = ["byte-count-mismatch"],
        [AttackKind.OversizedFrame] = ["framing-error"],
        [AttackKind.Garbage] = ["framing-error", "connection-closed", "timeout", "too-many-stale-replies"],
        [AttackKind.DripFeed] = ["timeout"],
    };

    /// <summary>The attacks that hold a transaction until its deadline: each costs a whole request timeout.</summary>
    private static readonly AttackKind[] DeadlineAttacks = [AttackKind.LengthTooLong, AttackKind.WrongTransactionId, AttackKind.DripFeed];

    /// <summary>
    /// 10,000 polls at attack rate 0.3 with every attack that ends before the deadline, under a 2 s request
    /// timeout so that a busy test machine cannot make a valid reply late.
    /// </summary>
    [Fact]
    public Task TenThousandPollsAtAttackRateThirtyPercentPublishEveryValidReplyAndCountEveryBadOne() =>
        RunAttacksAsync(10_000, [.. AttackCatalogue.All.Except(DeadlineAttacks)], "2s");

    /// <summary>
    /// The whole catalogue, the deadline attacks included, for 1,000 polls (APPLIANCE_ATTACK_POLLS sets more:
    /// each deadline attack costs the request timeout, 2 s so that a busy test machine cannot make a valid reply late).
    /// </summary>
    [Fact]
    public Task TheWholeAttackCatalogueAtThirtyPercentIsHandledPollByPoll() =>
        RunAttacksAsync(
            int.Parse(Environment.GetEnvironmentVariable("APPLIANCE_ATTACK_POLLS") ?? "1000", CultureInfo.InvariantCulture),
            AttackCatalogue.All,
            "2s");

    private static async Task RunAttacksAsync(int attackedpolls, ImmutableArray<AttackKind> attacks, string requestTimeout)
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { AttackRate = 0, Attacks = attacks, Seed = 17, Step = TimeSpan.FromMilliseconds(1) });
        simulator.Start();
        await using var gateway = new TestGateway(simulator.Port, requestTimeout: requestTimeout);
        GroupPoller group = gateway.Path.Devices[0].Groups[0];
        var transactions = new List<ushort>();

        // The first 50 polls are clean (both sides' code paths warm up), then 30 % of the replies are attacks.
        int polls = attackedpolls + 50;
        for (int i = 0; i < polls; i++)
        {
            simulator.AttackRate = i < 50 ? 0 : 0.3;
            await group.PollOnceAsync(TimeProvider.System, CancellationToken.None);
            transactions.Add(Assert.Single(group.LastTransactions));
        }

        var log = simulator.Exchanges().ToDictionary(e => e.TransactionId);
        List<JsonElement> messages = gateway.Sink.On(gateway.Topic);
        Assert.Equal(polls, messages.Count);
        int good = 0;
        int bad = 0;
        var attacksSeen = new HashSet<AttackKind>();
        for (int i = 0; i < polls; i++)
        {
            JsonElement message = messages[i];
            Assert.Equal(i + 1, message.GetProperty("seq").GetInt64());
            Assert.True(log.TryGetValue(transactions[i], out SimulatorExchange exchange), $"poll {i}: transaction {transactions[i]} never reached the simulator");
            AttackKind? attack = exchange.Attack;
            if (attack is AttackKind kind)
            {
                attacksSeen.Add(kind);
            }

            if (attack is null || AttackCatalogue.CarriesValidReply(attack.Value))
            {
                Assert.True(
                    message.GetProperty("quality").GetString() == "good",
                    $"poll {i} ({attack}, after {(i > 0 && log.TryGetValue(transactions[i - 1], out var before) ? before.Attack : null)}): a valid reply was not published: {message}; transport {gateway.Path.Devices[0].Transport}\nexchanges: {string.Join("\n", simulator.Exchanges().Where(e => Math.Abs(e.TransactionId - transactions[i]) < 4))}\nlog:\n{gateway.Log}");
                AssertValuesAt(simulator.Map, exchange.Step, message);
                good++;
            }
            else if (attack == AttackKind.ExceptionResponse)
            {
                Assert.Equal("bad", message.GetProperty("quality").GetString());
                Assert.StartsWith("exception-", Reason(message), StringComparison.Ordinal);
                bad++;
            }
            else
            {
                Assert.Equal("bad", message.GetProperty("quality").GetString());
                Assert.False(message.GetProperty("values").EnumerateObject().Any(), $"poll {i}: an attack ({attack}) published a value: {message}");
                Assert.True(Expected[attack!.Value].Contains(Reason(message)), $"poll {i}: attack {attack} gave {message}");
                bad++;
            }
        }

        DevicePoller device = gateway.Path.Devices[0];
        Assert.Equal(bad, device.Reasons.Snapshot().Sum(pair => pair.Value));
        Assert.Equal(good, group.GoodPolls);
        Assert.Equal(bad, group.BadPolls);
        Assert.Equal(attacks.Length, attacksSeen.Count);
        Assert.InRange(bad, attackedpolls * 0.3 * 0.75, attackedpolls * 0.3 * 1.1);
        Assert.Equal(polls, group.LastSequence);
        Assert.True(device.Transport.StaleReplies >= simulator.AttacksSent(AttackKind.LateReply), "late replies were not discarded as stale");
    }

    [Fact]
    public async Task FaultsInjectedIntoOneInstanceOnATenthOfTheFramesLoseNoFrameAndChangeNoValue()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 3, Step = TimeSpan.FromMilliseconds(1) });
        simulator.Start();
        await using var gateway = new TestGateway(simulator.Port, requestTimeout: "2s", edit: text => text
            .ReplaceExactly("bit_flip_rate = 0.0", "bit_flip_rate = 0.05")
            .ReplaceExactly("trap_rate = 0.0", "trap_rate = 0.05")
            .ReplaceExactly("seed = 0", "seed = 99"));
        GroupPoller group = gateway.Path.Devices[0].Groups[0];
        var transactions = new List<ushort>();

        const int Polls = 2_000;
        for (int i = 0; i < Polls; i++)
        {
            await group.PollOnceAsync(TimeProvider.System, CancellationToken.None);
            transactions.Add(Assert.Single(group.LastTransactions));
        }

        var log = simulator.Exchanges().ToDictionary(e => e.TransactionId);
        List<JsonElement> messages = gateway.Sink.On(gateway.Topic);
        for (int i = 0; i < Polls; i++)
        {
            Assert.True(messages[i].GetProperty("quality").GetString() == "good", $"poll {i}: {messages[i]}");
            AssertValuesAt(simulator.Map, log[transactions[i]].Step, messages[i]);
        }

        var voter = group.VoterStatistics;
        Assert.InRange(voter.FaultsInjected, 120, 280);
        Assert.Equal(0, voter.Split);
        Assert.True(voter.Instances.Sum(i => i.Traps) > 40, "forced traps did not reach the instances");
        Assert.All(voter.Instances, lane => Assert.True(lane.Resets >= lane.Traps, $"{lane.Lane}: a trapped lane was not reset ({lane.Traps} traps, {lane.Resets} resets)"));
    }

    private static string Reason(JsonElement message) =>
        message.GetProperty("errors").EnumerateObject().Select(p => p.Value.GetString()!).Distinct().Single();

    /// <summary>Every tag of the example group equals what the simulator's registers held at that step.</summary>
    internal static void AssertValuesAt(SimulatorRegisterMap map, long step, JsonElement message)
    {
        JsonElement values = message.GetProperty("values");
        foreach (SimulatedTag tag in map.TagsIn(ReadFunction.ReadHoldingRegisters).Where(t => t.Address < 8))
        {
            JsonElement value = values.GetProperty(tag.Name);
            switch (tag.Type)
            {
                case SimulatedValueType.Float32:
                    Assert.Equal((float)tag.ValueAt(step), value.GetSingle());
                    break;
                case SimulatedValueType.Bit:
                    Assert.Equal(tag.ValueAt(step) == 1, value.GetBoolean());
                    break;
                case SimulatedValueType.String:
                    Assert.Equal(tag.TextAt(step), value.GetString());
                    break;
                default:
                    Assert.Equal(tag.ScaledValueAt(step), value.GetDouble(), 9);
                    break;
            }
        }
    }
}
