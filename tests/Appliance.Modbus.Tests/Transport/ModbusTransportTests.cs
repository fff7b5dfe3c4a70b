using Appliance.Testing;
using Appliance.Modbus.Tests.Support;

namespace Appliance.Modbus.Tests.Transport;

/// <summary>
/// The transport against a scripted peer whose every byte the test writes. Deadlines run on a manual
/// clock: a test times a transaction out by moving the clock, never by waiting.
/// </summary>
public sealed class ModbusTransportTests : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);
    private static readonly ReadRequest TwoHolding = new(1, ReadFunction.ReadHoldingRegisters, 0, 2);

    private readonly ScriptedPeer _peer = new();
    private readonly ManualTimeProvider _clock = new();
    private readonly byte[] _response = new byte[MbapHeader.MaxAduLength];

    public void Dispose() => _peer.Dispose();

    [Fact]
    public async Task AReplyWithTheRequestsTransactionIdIsReturnedByteForByte()
    {
        using ModbusTransport transport = Transport();
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        byte[] request = await plc.ReadRequestAsync();
        byte[] reply = Frames.Registers(1, 1, 0x03, 0x1234, 0xABCD);
        await plc.SendAsync(reply);

        TransactionResult result = await pending;

        Assert.Equal(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x02 }, request);
        Assert.Equal(new TransactionResult(TransactionStatus.Ok, 13, 1, 0, TimeSpan.Zero), result);
        Assert.Equal(reply, _response[..result.ResponseLength]);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x83, 0x02 })] // exception 2
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x07, 0x00, 0x07, 0x01, 0x03, 0x04, 0x12, 0x34, 0xAB, 0xCD })] // protocol id 7
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x09, 0x03, 0x04, 0x12, 0x34, 0xAB, 0xCD })] // unit 9
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x01, 0x10, 0xFF, 0x12, 0x34, 0xAB, 0xCD })] // fc 0x10, count 255
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x03 })] // no byte count at all
    public async Task TheHostJudgesNothingPastTheLengthFieldSoTheParserGetsTheAduAsReceived(byte[] reply)
    {
        using ModbusTransport transport = Transport();
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();
        await plc.SendAsync(reply);

        TransactionResult result = await pending;

        Assert.Equal(TransactionStatus.Ok, result.Status);
        Assert.Equal(reply, _response[..result.ResponseLength]);
    }

    [Fact]
    public async Task EachTransactionHasTheNextTransactionIdAndTheIdsWrapAfter65535()
    {
        using ModbusTransport transport = Transport(firstTransactionId: 65534);
        List<ushort> seen = [];
        ScriptedPeer.PeerConnection? plc = null;
        for (int i = 0; i < 3; i++)
        {
            Task<TransactionResult> pending = Begin(transport);
            plc ??= await _peer.AcceptAsync();
            ushort id = Frames.TransactionId(await plc.ReadRequestAsync());
            await plc.SendAsync(Frames.Registers(id, 1, 0x03, 1, 2));
            TransactionResult result = await pending;
            Assert.Equal(id, result.TransactionId);
            seen.Add(id);
        }

        plc!.Dispose();
        Assert.Equal(new ushort[] { 65534, 65535, 0 }, seen);
        Assert.Equal(1, transport.Statistics.Connects);
    }

    [Fact]
    public async Task ALateReplyToAnEarlierRequestIsDiscardedAndCountedAndTheRightReplyIsReturned()
    {
        using ModbusTransport transport = Transport(firstTransactionId: 7);
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();
        await plc.SendAsync([.. Frames.Registers(6, 1, 0x03, 0xDEAD, 0xDEAD), .. Frames.Registers(7, 1, 0x03, 0x0001, 0x0002)]);

        TransactionResult result = await pending;

        Assert.Equal(TransactionStatus.Ok, result.Status);
        Assert.Equal(1, result.StaleReplies);
        Assert.Equal(Frames.Registers(7, 1, 0x03, 0x0001, 0x0002), _response[..result.ResponseLength]);
        Assert.Equal(1, transport.Statistics.StaleReplies);
    }

    [Fact]
    public async Task AReplyWithAnotherTransactionIdIsNeverTheAnswerEvenWhenNothingElseComes()
    {
        using ModbusTransport transport = Transport(firstTransactionId: 7);
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();
        await plc.SendAsync(Frames.Registers(8, 1, 0x03, 0x0001, 0x0002));
        WaitUntil(() => transport.Statistics.StaleReplies == 1);

        _clock.Advance(RequestTimeout);
        TransactionResult result = await pending;

        Assert.Equal(TransactionStatus.Timeout, result.Status);
        Assert.Equal(1, result.StaleReplies);
        Assert.True(await plc.ClosedByClientAsync());
    }

    [Fact]
    public async Task AFloodOfStaleRepliesEndsTheTransactionAndTheConnection()
    {
        using ModbusTransport transport = Transport(firstTransactionId: 100);
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();
        byte[] flood = [.. Enumerable.Range(0, 17).SelectMany(i => Frames.Registers((ushort)i, 1, 0x03, 0, 0))];
        await plc.SendAsync(flood);

        TransactionResult result = await pending;

        Assert.Equal(TransactionStatus.TooManyStaleReplies, result.Status);
        Assert.Equal(17, result.StaleReplies);
        Assert.False(transport.IsConnected);
    }

    [Fact]
    public async Task OneDeadlineCoversTheWholeTransactionSoADrippedReplyTimesOut()
    {
        using ModbusTransport transport = Transport();
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();
        byte[] reply = Frames.Registers(1, 1, 0x03, 0x1234, 0xABCD);
        TimeSpan perByte = RequestTimeout / (reply.Length - 1);

        // Every byte but the last arrives, each well within the deadline on its own.
        foreach (byte b in reply[..^1])
        {
            await plc.SendAsync(b);
            _clock.Advance(perByte / 2);
        }

        _clock.Advance(RequestTimeout);
        TransactionResult result = await pending;

        Assert.Equal(TransactionStatus.Timeout, result.Status);
        Assert.Equal(1, transport.Statistics.Timeouts);
        Assert.True(await plc.ClosedByClientAsync());
    }

    [Fact]
    public async Task AValidReplyArrivingInPiecesIsAssembled()
    {
        using ModbusTransport transport = Transport();
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();
        byte[] reply = Frames.Registers(1, 1, 0x03, 0x1234, 0xABCD);
        await plc.SendAsync(reply[..3]);
        await plc.SendAsync(reply[3..8]);
        await plc.SendAsync(reply[8..]);

        TransactionResult result = await pending;

        Assert.Equal(TransactionStatus.Ok, result.Status);
        Assert.Equal(reply, _response[..result.ResponseLength]);
    }

    [Fact]
    public async Task AReplyArrivingOneByteAtATimeWithinTheDeadlineIsAssembled()
    {
        using ModbusTransport transport = Transport();
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();
        byte[] reply = Frames.Registers(1, 1, 0x03, 0x1234, 0xABCD);
        foreach (byte b in reply)
        {
            await plc.SendAsync(b);
        }

        TransactionResult result = await pending;

        Assert.Equal(TransactionStatus.Ok, result.Status);
        Assert.Equal(reply, _response[..result.ResponseLength]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(0xFFFF)]
    public async Task ALengthFieldThatCannotFrameAnAduEndsTheTransactionAndTheNextOneReconnects(int length)
    {
        using ModbusTransport transport = Transport();
        Task<TransactionResult> pending = Begin(transport);
        using (ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync())
        {
            await plc.ReadRequestAsync();
            await plc.SendAsync(0x00, 0x01, 0x00, 0x00, (byte)(length >> 8), (byte)length, 0x01, 0x03, 0x04);

            TransactionResult result = await pending;

            Assert.Equal(TransactionStatus.FramingError, result.Status);
            Assert.True(await plc.ClosedByClientAsync());
        }

        pending = Begin(transport);
        using ScriptedPeer.PeerConnection again = await _peer.AcceptAsync();
        await again.ReadRequestAsync();
        await again.SendAsync(Frames.Registers(2, 1, 0x03, 5, 6));
        Assert.Equal(TransactionStatus.Ok, (await pending).Status);
        TransportStatistics statistics = transport.Statistics;
        Assert.Equal((1, 2, 1, 1), (statistics.FramingErrors, statistics.Connects, statistics.Reconnects, statistics.Ok));
    }

    [Fact]
    public async Task APeerThatClosesInTheMiddleOfAReplyEndsTheTransaction()
    {
        using ModbusTransport transport = Transport();
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();
        await plc.SendAsync(Frames.Registers(1, 1, 0x03, 0x1234, 0xABCD)[..10]);
        plc.Dispose();

        TransactionResult result = await pending;

        Assert.Equal(TransactionStatus.ConnectionClosed, result.Status);
        Assert.False(transport.IsConnected);
    }

    [Fact]
    public async Task BytesLeftOverFromAShortLengthFieldAreNeverReadAsTheNextReply()
    {
        using ModbusTransport transport = Transport();
        Task<TransactionResult> pending = Begin(transport);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();

        // The length field says 5 (unit, fc, count, one register) but 7 bytes follow; the two extra bytes
        // are 0x00 0x02, the next transaction id, so that read as a header they would match.
        byte[] lying = [0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x01, 0x03, 0x04, 0x12, 0x34, 0x00, 0x02];
        await plc.SendAsync(lying);
        TransactionResult first = await pending;
        Assert.Equal(TransactionStatus.Ok, first.Status);
        Assert.Equal(lying[..11], _response[..first.ResponseLength]);
        Assert.Equal(ConnectionState.UnsolicitedBytes, transport.ProbeConnection());

        pending = Begin(transport);
        Assert.True(await plc.ClosedByClientAsync());
        using ScriptedPeer.PeerConnection fresh = await _peer.AcceptAsync();
        Assert.Equal(2, Frames.TransactionId(await fresh.ReadRequestAsync()));
        await fresh.SendAsync(Frames.Registers(2, 1, 0x03, 7, 8));
        TransactionResult second = await pending;

        Assert.Equal(TransactionStatus.Ok, second.Status);
        Assert.Equal(Frames.Registers(2, 1, 0x03, 7, 8), _response[..second.ResponseLength]);
        Assert.Equal((1, 1), (transport.Statistics.UnsolicitedBytes, transport.Statistics.Reconnects));
    }

    [Fact]
    public async Task APeerThatClosedAnIdleConnectionIsReconnectedBeforeTheNextRequest()
    {
        using ModbusTransport transport = Transport();
        Task<TransactionResult> pending = Begin(transport);
        using (ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync())
        {
            await plc.ReadRequestAsync();
            await plc.SendAsync(Frames.Registers(1, 1, 0x03, 1, 2));
            Assert.Equal(TransactionStatus.Ok, (await pending).Status);
        }

        WaitUntil(() => transport.ProbeConnection() == ConnectionState.ClosedByPeer);
        pending = Begin(transport);
        using ScriptedPeer.PeerConnection fresh = await _peer.AcceptAsync();
        await fresh.ReadRequestAsync();
        await fresh.SendAsync(Frames.Registers(2, 1, 0x03, 3, 4));

        Assert.Equal(TransactionStatus.Ok, (await pending).Status);
        Assert.Equal(0, transport.Statistics.ConnectionsClosed);
    }

    [Fact]
    public async Task AFailedConnectStartsABackoffDuringWhichTransactionsReturnAtOnce()
    {
        int closedPort = FreePortWithNothingListening();
        var backoff = new BackoffOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), 0.0);
        using ModbusTransport transport = Transport(port: closedPort, backoff: backoff);

        TransactionResult failed = await transport.TransactAsync(TwoHolding, _response);
        Assert.Equal(TransactionStatus.ConnectFailed, failed.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), failed.RetryAfter);

        ValueTask<TransactionResult> skipped = transport.TransactAsync(TwoHolding, _response);
        Assert.True(skipped.IsCompleted, "a device in backoff must not make the caller wait");
        Assert.Equal(new TransactionResult(TransactionStatus.BackingOff, 0, 0, 0, TimeSpan.FromSeconds(1)), await skipped);

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(TransactionStatus.BackingOff, (await transport.TransactAsync(TwoHolding, _response)).Status);

        // Each further failure doubles the delay, up to the maximum.
        List<TimeSpan> delays = [];
        for (int i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            TransactionResult again = await transport.TransactAsync(TwoHolding, _response);
            Assert.Equal(TransactionStatus.ConnectFailed, again.Status);
            delays.Add(again.RetryAfter);
        }

        Assert.Equal([2, 4, 8, 8, 8], delays.Select(delay => delay.TotalSeconds));
        TransportStatistics statistics = transport.Statistics;
        Assert.Equal((6, 2, 0), (statistics.ConnectFailures, statistics.BackingOff, statistics.Connects));
    }

    [Fact]
    public async Task AConnectThatSucceedsAfterFailuresResetsTheBackoff()
    {
        var backoff = new BackoffOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), 0.0);
        int port = FreePortWithNothingListening();
        using ModbusTransport transport = Transport(port: port, backoff: backoff);
        Assert.Equal(TransactionStatus.ConnectFailed, (await transport.TransactAsync(TwoHolding, _response)).Status);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), (await transport.TransactAsync(TwoHolding, _response)).RetryAfter);

        using var peer = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        peer.Start();
        _clock.Advance(TimeSpan.FromSeconds(2));
        Task<TransactionResult> pending = Begin(transport);
        using System.Net.Sockets.Socket plc = await peer.AcceptSocketAsync();
        plc.Dispose();
        Assert.Equal(TransactionStatus.ConnectionClosed, (await pending).Status);
        peer.Stop();

        TransactionResult failed = await transport.TransactAsync(TwoHolding, _response);
        Assert.Equal(TransactionStatus.ConnectFailed, failed.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), failed.RetryAfter);
    }

    [Fact]
    public async Task JitterComesFromTheInjectedRandomSoBackoffIsRepeatable()
    {
        var backoff = new BackoffOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.5);
        int port = FreePortWithNothingListening();

        async Task<List<TimeSpan>> DelaysAsync()
        {
            var clock = new ManualTimeProvider();
            using var transport = new ModbusTransport(Options(port, backoff), clock, new Random(42));
            List<TimeSpan> delays = [];
            for (int i = 0; i < 6; i++)
            {
                TransactionResult result = await transport.TransactAsync(TwoHolding, _response);
                delays.Add(result.RetryAfter);
                clock.Advance(TimeSpan.FromMinutes(1));
            }

            return delays;
        }

        List<TimeSpan> first = await DelaysAsync();
        List<TimeSpan> second = await DelaysAsync();

        Assert.Equal(first, second);
        double[] nominal = [1, 2, 4, 8, 16, 30];
        for (int i = 0; i < nominal.Length; i++)
        {
            Assert.InRange(first[i].TotalSeconds, nominal[i] * 0.5, nominal[i] * 1.5);
        }

        Assert.NotEqual(nominal, first.Select(delay => delay.TotalSeconds));
    }

    [Fact]
    public async Task AResponseBufferSmallerThanTheLargestAduIsRefused()
    {
        using ModbusTransport transport = Transport();

        await Assert.ThrowsAsync<ArgumentException>(async () => await transport.TransactAsync(TwoHolding, new byte[259]));
    }

    [Fact]
    public async Task CancellingTheCallerEndsTheTransactionWithCancellationAndClosesTheConnection()
    {
        using ModbusTransport transport = Transport();
        using var cancel = new CancellationTokenSource();
        Task<TransactionResult> pending = Begin(transport, cancel.Token);
        using ScriptedPeer.PeerConnection plc = await _peer.AcceptAsync();
        await plc.ReadRequestAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        Assert.False(transport.IsConnected);
        Assert.True(await plc.ClosedByClientAsync());
    }

    private Task<TransactionResult> Begin(ModbusTransport transport, CancellationToken cancellationToken = default) =>
        transport.TransactAsync(TwoHolding, _response, cancellationToken).AsTask();

    private static int FreePortWithNothingListening() => Appliance.Testing.FreePort.Next();

    private static void WaitUntil(Func<bool> condition)
    {
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), "the condition did not come true");
    }

    private static ModbusTransportOptions Options(int port, BackoffOptions? backoff = null, ushort firstTransactionId = 1) =>
        new("plc-test", "127.0.0.1", port, TimeSpan.FromSeconds(5), RequestTimeout, backoff ?? new BackoffOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2))
        {
            FirstTransactionId = firstTransactionId,
        };

    private ModbusTransport Transport(ushort firstTransactionId = 1, int? port = null, BackoffOptions? backoff = null) =>
        new(Options(port ?? _peer.Port, backoff, firstTransactionId), _clock, new Random(1));
}
