using System.Collections.Immutable;
using Appliance.Modbus.Simulator;
using Appliance.Modbus.Tests.Support;

namespace Appliance.Modbus.Tests.Simulator;

/// <summary>
/// Our transport against the simulator in attack mode. The simulator logs what it sent for every
/// transaction id; the tests hold each transport result against that log and the catalogue: no reply
/// with another transaction id is ever returned, timing attacks time out, framing attacks fail framing,
/// and the two kinds that carry a valid reply return exactly that reply.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class AttackTests
{
    /// <summary>2 s: a valid reply that follows a stale one at once must not miss it on a loaded machine (0.5 s did once).</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Per byte: the shortest reply (11 bytes) takes 4.4 s, well past the request timeout.</summary>
    private static readonly TimeSpan DripDelay = TimeSpan.FromMilliseconds(400);

    public static TheoryData<AttackKind> Kinds => [.. AttackCatalogue.All];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EachAttackEndsTheWayTheCatalogueSays(AttackKind kind)
    {
        await using PlcSimulator simulator = Start(rate: 1.0, [kind]);
        using ModbusTransport transport = Transport(simulator.Port);
        var results = new List<Outcome>();
        for (int i = 0; i < 4; i++)
        {
            results.Add(await TransactAsync(transport, new ReadRequest(1, ReadFunction.ReadHoldingRegisters, (ushort)(100 + i), (ushort)(2 + i))));
        }

        Judge(simulator, results);
        Assert.Equal(4, simulator.AttacksSent(kind));
        Assert.All(results, outcome => Assert.Contains(outcome.Result.Status, AttackCatalogue.TransportOutcomes(kind)));
        if (kind == AttackKind.LateReply)
        {
            Assert.All(results, outcome => Assert.Equal(1, outcome.Result.StaleReplies));
        }

        if (kind == AttackKind.LengthTooShort)
        {
            Assert.Equal(3, transport.Statistics.UnsolicitedBytes);
        }
    }

    [Fact]
    public async Task UnderAttackOnEveryReplyNoAnswerIsEverTakenFromAnotherTransactionAndAfterwardsEverythingIsOk()
    {
        await using PlcSimulator simulator = Start(rate: 1.0, AttackCatalogue.All);
        const int Clients = 8;
        const int PerClient = 50;
        ModbusTransport[] transports = [.. Enumerable.Range(0, Clients).Select(_ => Transport(simulator.Port))];
        try
        {
            List<Outcome>[] attacked = await Task.WhenAll(transports.Select((transport, client) => RunAsync(transport, (byte)(client + 1), PerClient)));
            List<Outcome> all = [.. attacked.SelectMany(outcomes => outcomes)];

            Judge(simulator, all);
            Assert.Equal(Clients * PerClient, simulator.TotalAttacks);
            Assert.All(AttackCatalogue.All, kind => Assert.True(simulator.AttacksSent(kind) > 0, $"{kind} was never drawn"));
            Assert.Contains(all, outcome => outcome.Result.Status == TransactionStatus.Ok);
            Assert.Contains(all, outcome => outcome.Result.Status == TransactionStatus.Timeout);

            simulator.AttackRate = 0;
            List<Outcome>[] calm = await Task.WhenAll(transports.Select((transport, client) => RunAsync(transport, (byte)(client + 1), PerClient)));

            Assert.All(calm.SelectMany(outcomes => outcomes), outcome => Assert.Equal(TransactionStatus.Ok, outcome.Result.Status));
            Judge(simulator, [.. calm.SelectMany(outcomes => outcomes)]);
        }
        finally
        {
            foreach (ModbusTransport transport in transports)
            {
                transport.Dispose();
            }
        }
    }

    private static async Task<List<Outcome>> RunAsync(ModbusTransport transport, byte unitId, int count)
    {
        var outcomes = new List<Outcome>(count);
        for (int i = 0; i < count; i++)
        {
            ReadFunction function = i % 2 == 0 ? ReadFunction.ReadHoldingRegisters : ReadFunction.ReadInputRegisters;
            outcomes.Add(await TransactAsync(transport, new ReadRequest(unitId, function, (ushort)(i % 150), (ushort)(1 + (i % 12)))));
        }

        return outcomes;
    }

    private static async Task<Outcome> TransactAsync(ModbusTransport transport, ReadRequest request)
    {
        byte[] buffer = new byte[MbapHeader.MaxAduLength];
        TransactionResult result = await transport.TransactAsync(request, buffer);
        return new Outcome(request, result, buffer[..result.ResponseLength]);
    }

    /// <summary>Holds every outcome against what the simulator says it sent for that transaction.</summary>
    private static void Judge(PlcSimulator simulator, List<Outcome> outcomes)
    {
        IReadOnlyList<SimulatorExchange> log = simulator.Exchanges();
        foreach (Outcome outcome in outcomes)
        {
            TransactionResult result = outcome.Result;
            SimulatorExchange[] sent = [.. log.Where(entry => entry.UnitId == outcome.Request.UnitId && entry.TransactionId == result.TransactionId)];
            if (result.Status != TransactionStatus.Ok)
            {
                Assert.True(sent.Length <= 1);
                if (sent.Length == 1)
                {
                    ImmutableArray<TransactionStatus> allowed = sent[0].Attack is { } attack ? AttackCatalogue.TransportOutcomes(attack) : [TransactionStatus.Ok];
                    Assert.True(allowed.Contains(result.Status), $"tid {result.TransactionId}: {sent[0].Attack} ended {result.Status}");
                }

                continue;
            }

            // Ok: the ADU answers this transaction, and the simulator did send something for it.
            SimulatorExchange exchange = Assert.Single(sent);
            Assert.Equal(result.TransactionId, Frames.TransactionId(outcome.Reply));
            Assert.Equal(result.ResponseLength, outcome.Reply.Length);
            Assert.InRange(outcome.Reply.Length, 6 + MbapHeader.MinLengthField, MbapHeader.MaxAduLength);
            if (exchange.Attack is { } kind)
            {
                Assert.Contains(TransactionStatus.Ok, AttackCatalogue.TransportOutcomes(kind));
                if (!AttackCatalogue.CarriesValidReply(kind))
                {
                    // Framed and matched, but the PDU is hostile: the parser's to reject. It must differ from the valid reply.
                    Assert.NotEqual(ValidReply(simulator, outcome.Request, exchange), outcome.Reply);
                    continue;
                }
            }

            // A valid reply, a late reply's successor, or a split frame: exactly the reply the simulator built.
            Assert.Equal(ValidReply(simulator, outcome.Request, exchange), outcome.Reply);
        }
    }

    private static byte[] ValidReply(PlcSimulator simulator, ReadRequest request, SimulatorExchange exchange)
    {
        byte[] registers = new byte[request.Quantity * 2];
        simulator.Map.Read(request.Function, request.Address, request.Quantity, exchange.Step, registers);
        return WireDecoding.Reply(exchange.TransactionId, request.UnitId, (byte)request.Function, registers);
    }

    private static PlcSimulator Start(double rate, ImmutableArray<AttackKind> kinds)
    {
        var simulator = new PlcSimulator(new PlcSimulatorOptions
        {
            AttackRate = rate,
            Attacks = kinds,
            Seed = 2026,
            DripDelay = DripDelay,
            Step = TimeSpan.FromMilliseconds(5),
        });
        simulator.Start();
        return simulator;
    }

    private static ModbusTransport Transport(int port) =>
        new(new ModbusTransportOptions("sim", "127.0.0.1", port, TimeSpan.FromSeconds(5), RequestTimeout,
            new BackoffOptions(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), 0.2)));

    private sealed record Outcome(ReadRequest Request, TransactionResult Result, byte[] Reply);
}
