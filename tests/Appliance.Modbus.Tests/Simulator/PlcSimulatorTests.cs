using Appliance.Testing;
using System.Net;
using Appliance.Modbus.Simulator;
using Appliance.Modbus.Tests.Support;

namespace Appliance.Modbus.Tests.Simulator;

/// <summary>The simulator as a Modbus TCP server: read with our transport and with raw requests.</summary>
public sealed class PlcSimulatorTests
{
    private readonly byte[] _response = new byte[MbapHeader.MaxAduLength];

    [Fact]
    public async Task EveryReplyIsOneSnapshotOfTheStepTheLogNames()
    {
        await using PlcSimulator simulator = Start(new PlcSimulatorOptions { Step = TimeSpan.FromMilliseconds(1) });
        using ModbusTransport transport = Transport(simulator.Port);
        var exchanges = new List<(TransactionResult Result, byte[] Reply, ReadRequest Request)>();
        ReadRequest[] requests =
        [
            new(1, ReadFunction.ReadHoldingRegisters, 0, 8),
            new(1, ReadFunction.ReadHoldingRegisters, 100, 58),
            new(2, ReadFunction.ReadInputRegisters, 100, 58),
            new(3, ReadFunction.ReadInputRegisters, 118, 1),
        ];

        for (int i = 0; i < 60; i++)
        {
            ReadRequest request = requests[i % requests.Length];
            TransactionResult result = await transport.TransactAsync(request, _response);
            Assert.Equal(TransactionStatus.Ok, result.Status);
            exchanges.Add((result, _response[..result.ResponseLength], request));
        }

        IReadOnlyList<SimulatorExchange> log = simulator.Exchanges();
        Assert.Equal(60, log.Count);
        Assert.True(log[^1].Step > log[0].Step, "the step did not advance");
        foreach ((TransactionResult result, byte[] reply, ReadRequest request) in exchanges)
        {
            SimulatorExchange logged = Assert.Single(log, entry => entry.TransactionId == result.TransactionId);
            Assert.Null(logged.Attack);
            Assert.Equal(((byte)request.Function, request.Address, request.Quantity, request.UnitId), (logged.Function, logged.Address, logged.Quantity, logged.UnitId));
            ReadFunction area = request.Function;
            byte[] registers = new byte[request.Quantity * 2];
            simulator.Map.Read(area, request.Address, request.Quantity, logged.Step, registers);
            Assert.Equal(WireDecoding.Reply(result.TransactionId, request.UnitId, (byte)request.Function, registers), reply);

            // Every tag inside the read decodes to its waveform at that one step.
            foreach (SimulatedTag tag in simulator.Map.TagsIn(area).Where(tag => tag.Address >= request.Address && tag.Address + tag.RegisterCount <= request.Address + request.Quantity))
            {
                ReadOnlySpan<byte> wire = reply.AsSpan(9 + ((tag.Address - request.Address) * 2));
                if (tag.Type == SimulatedValueType.String)
                {
                    Assert.Equal(tag.TextAt(logged.Step), WireDecoding.DecodeText(tag, wire));
                }
                else
                {
                    Assert.Equal(tag.ValueAt(logged.Step), WireDecoding.Decode(tag, wire));
                }
            }
        }
    }

    [Fact]
    public async Task TheStepAdvancesOnlyWithTheSimulatorsClock()
    {
        var clock = new ManualTimeProvider();
        await using PlcSimulator simulator = Start(new PlcSimulatorOptions { Step = TimeSpan.FromMilliseconds(100), TimeProvider = clock });
        using ModbusTransport transport = Transport(simulator.Port);
        var read = new ReadRequest(1, ReadFunction.ReadHoldingRegisters, 117, 1);
        SimulatedTag uint16 = simulator.Map.Find(ReadFunction.ReadHoldingRegisters, "uint16")!;

        Assert.Equal(0, simulator.CurrentStep);
        Assert.Equal(TransactionStatus.Ok, (await transport.TransactAsync(read, _response)).Status);
        Assert.Equal(uint16.ValueAt(0), (_response[9] << 8) | _response[10]);

        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(2, simulator.CurrentStep);
        Assert.Equal(TransactionStatus.Ok, (await transport.TransactAsync(read, _response)).Status);
        Assert.Equal(uint16.ValueAt(2), (_response[9] << 8) | _response[10]);
        Assert.Equal([0L, 2L], simulator.Exchanges().Select(exchange => exchange.Step));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x01, 0x06, 0x00, 0x00, 0x00, 0x01 }, new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x03, 0x01, 0x86, 0x01 })] // write single register: illegal function
    [InlineData(new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x01, 0x01, 0x00, 0x00, 0x00, 0x01 }, new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x03, 0x01, 0x81, 0x01 })] // read coils: not served
    [InlineData(new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00 }, new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x03, 0x01, 0x83, 0x03 })] // quantity 0
    [InlineData(new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x01, 0x04, 0x00, 0x00, 0x00, 0x7E }, new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x03, 0x01, 0x84, 0x03 })] // quantity 126
    [InlineData(new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0xFF, 0xFF, 0x00, 0x02 }, new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x03, 0x01, 0x83, 0x02 })] // past 65535
    [InlineData(new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x04, 0x01, 0x03, 0x00, 0x00 }, new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x03, 0x01, 0x83, 0x03 })] // PDU too short
    [InlineData(new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x07, 0xD0, 0x00, 0x02 }, new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00, 0x07, 0x01, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00 })] // outside the map: zeros
    public async Task RequestsOutsideWhatIsServedGetTheSpecsAnswer(byte[] request, byte[] expected)
    {
        await using PlcSimulator simulator = Start(new PlcSimulatorOptions());
        using RawClient client = await RawClient.ConnectAsync(simulator.Port);

        byte[] reply = await client.ExchangeAsync(request);

        Assert.Equal(expected, reply);
        Assert.Null(Assert.Single(simulator.Exchanges()).Attack);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01 })] // length 256
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01 })] // length 1
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x09, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x01 })] // protocol 9
    public async Task ARequestThatCannotBeFramedClosesTheConnection(byte[] request)
    {
        await using PlcSimulator simulator = Start(new PlcSimulatorOptions());
        using RawClient client = await RawClient.ConnectAsync(simulator.Port);

        Assert.True(await client.SendAndSeeClosedAsync(request));
        Assert.Empty(simulator.Exchanges());
    }

    [Fact]
    public async Task ManyClientsAreServedAtOnce()
    {
        await using PlcSimulator simulator = Start(new PlcSimulatorOptions());
        ModbusTransport[] transports = [.. Enumerable.Range(0, 8).Select(_ => Transport(simulator.Port))];

        TransactionStatus[][] statuses = await Task.WhenAll(transports.Select(async (transport, index) =>
        {
            byte[] buffer = new byte[MbapHeader.MaxAduLength];
            var seen = new List<TransactionStatus>();
            for (int i = 0; i < 25; i++)
            {
                seen.Add((await transport.TransactAsync(new ReadRequest((byte)index, ReadFunction.ReadHoldingRegisters, (ushort)(index * 10), 10), buffer)).Status);
            }

            return seen.ToArray();
        }));

        foreach (ModbusTransport transport in transports)
        {
            transport.Dispose();
        }

        Assert.All(statuses.SelectMany(s => s), status => Assert.Equal(TransactionStatus.Ok, status));
        Assert.Equal((8, 200, 200), (simulator.Connections, simulator.Requests, simulator.ValidReplies));
    }

    [Fact]
    public async Task StoppingTheSimulatorClosesItsConnections()
    {
        PlcSimulator simulator = Start(new PlcSimulatorOptions());
        using ModbusTransport transport = Transport(simulator.Port);
        Assert.Equal(TransactionStatus.Ok, (await transport.TransactAsync(new ReadRequest(1, ReadFunction.ReadHoldingRegisters, 0, 1), _response)).Status);

        await simulator.DisposeAsync();

        TransactionStatus after = (await transport.TransactAsync(new ReadRequest(1, ReadFunction.ReadHoldingRegisters, 0, 1), _response)).Status;
        Assert.Contains(after, new[] { TransactionStatus.ConnectFailed, TransactionStatus.ConnectionClosed });
    }

    [Fact]
    public void TheAttackRateIsAFractionFromZeroToOne()
    {
        var simulator = new PlcSimulator(new PlcSimulatorOptions());

        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.AttackRate = 1.01);
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.AttackRate = -0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.AttackRate = double.NaN);
        Assert.Throws<ArgumentException>(() => new PlcSimulator(new PlcSimulatorOptions { Attacks = [] }));
    }

    private static PlcSimulator Start(PlcSimulatorOptions options)
    {
        var simulator = new PlcSimulator(options);
        simulator.Start();
        Assert.Equal(IPAddress.Loopback, simulator.EndPoint.Address);
        return simulator;
    }

    private static ModbusTransport Transport(int port) =>
        new(new ModbusTransportOptions("sim", "127.0.0.1", port, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5),
            new BackoffOptions(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0.2)));
}
