using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Modbus;

/// <summary>
/// The Modbus TCP client of one device. It sends read requests built from the configuration and returns
/// raw reply ADUs, framed by the MBAP length field and matched by transaction id; it never looks past
/// byte 7 of a reply (the parser sandboxes check the rest).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Connects lazily, with the connect timeout. A failed connect starts an exponential backoff with
/// jitter; while it lasts, <see cref="TransactAsync"/> returns <see cref="TransactionStatus.BackingOff"/>
/// at once, so a dead device never stalls the poll loop.</item>
/// <item>One deadline, the request timeout, covers a whole transaction from the request's first byte
/// written to the reply's last byte read: a reply dripped one byte at a time times out.</item>
/// <item>The 7-byte header is read first and its length field checked (2..254, so the ADU is at most
/// 260 bytes) before exactly length − 1 more bytes are read.</item>
/// <item>A reply with another transaction id (a late answer to an earlier request) is never returned:
/// it is counted and discarded, and reading goes on until the deadline.</item>
/// <item>After a timeout, a framing error, a closed connection, or bytes that arrived unasked, the
/// socket is closed and the next transaction reconnects, so leftover bytes are never taken for a later
/// reply.</item>
/// </list>
/// One transaction at a time; statistics may be read from any thread.
/// </remarks>
public sealed class ModbusTransport : IDisposable
{
    private readonly ModbusTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReconnectBackoff _backoff;
    private readonly byte[] _request = new byte[ReadRequest.AduLength];
    private readonly string _endpoint;
    private Socket? _socket;
    private DateTimeOffset _nextConnectAttempt = DateTimeOffset.MinValue;
    private ushort _nextTransactionId;
    private bool _everConnected;
    private int _busy;
    private bool _disposed;

    private long _transactions;
    private long _ok;
    private long _timeouts;
    private long _connectFailures;
    private long _backingOff;
    private long _connects;
    private long _reconnects;
    private long _staleReplies;
    private long _framingErrors;
    private long _connectionsClosed;
    private long _unsolicitedBytes;

    /// <param name="options">The device's address, timeouts and backoff.</param>
    /// <param name="timeProvider">The clock of deadlines and backoff; the system clock when null.</param>
    /// <param name="random">The source of backoff jitter; seed it for repeatable runs.</param>
    /// <param name="logger">Where connection events are logged.</param>
    public ModbusTransport(ModbusTransportOptions options, TimeProvider? timeProvider = null, Random? random = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ConnectTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RequestTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxStaleReplies, nameof(options));
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _backoff = new ReconnectBackoff(options.Backoff, random ?? new Random());
        _nextTransactionId = options.FirstTransactionId;
        _endpoint = options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host}]:{options.Port}" : $"{options.Host}:{options.Port}";
    }

    /// <summary>The device's address, timeouts and backoff.</summary>
    public ModbusTransportOptions Options => _options;

    /// <summary>True while a connection is open.</summary>
    public bool IsConnected => Volatile.Read(ref _socket) is not null;

    /// <summary>A snapshot of the counters.</summary>
    public TransportStatistics Statistics => new(
        Interlocked.Read(ref _transactions),
        Interlocked.Read(ref _ok),
        Interlocked.Read(ref _timeouts),
        Interlocked.Read(ref _connectFailures),
        Interlocked.Read(ref _backingOff),
        Interlocked.Read(ref _connects),
        Interlocked.Read(ref _reconnects),
        Interlocked.Read(ref _staleReplies),
        Interlocked.Read(ref _framingErrors),
        Interlocked.Read(ref _connectionsClosed),
        Interlocked.Read(ref _unsolicitedBytes));

    /// <summary>
    /// Sends <paramref name="request"/> and reads its reply ADU into <paramref name="response"/> (at least
    /// 260 bytes). On <see cref="TransactionStatus.Ok"/> the first <see cref="TransactionResult.ResponseLength"/>
    /// bytes hold the whole ADU, header included, exactly as received; on any other status the buffer's
    /// content means nothing. Throws <see cref="OperationCanceledException"/> only when
    /// <paramref name="cancellationToken"/> is cancelled (the connection is then closed).
    /// </summary>
    public async ValueTask<TransactionResult> TransactAsync(ReadRequest request, Memory<byte> response, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (response.Length < MbapHeader.MaxAduLength)
        {
            throw new ArgumentException($"the response buffer has {response.Length} bytes; it needs {MbapHeader.MaxAduLength}, the largest ADU", nameof(response));
        }

        if (request.Quantity == 0)
        {
            throw new ArgumentException("a default ReadRequest reads nothing", nameof(request));
        }

        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            throw new InvalidOperationException($"{_options.Name}: a transaction is already in progress; the transport runs one at a time");
        }

        try
        {
            Interlocked.Increment(ref _transactions);
            DropConnectionIfNotIdle();
            Socket? socket = _socket;
            if (socket is null)
            {
                TimeSpan wait = _nextConnectAttempt - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    Interlocked.Increment(ref _backingOff);
                    return new TransactionResult(TransactionStatus.BackingOff, 0, 0, 0, wait);
                }

                socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                if (socket is null)
                {
                    return new TransactionResult(TransactionStatus.ConnectFailed, 0, 0, 0, _nextConnectAttempt - _time.GetUtcNow());
                }
            }

            ushort transactionId = _nextTransactionId++;
            request.Write(_request, transactionId);
            return await ExchangeAsync(socket, transactionId, response, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Closes the connection, if any.</summary>
    public void Dispose()
    {
        _disposed = true;
        CloseSocket();
    }

    private async ValueTask<TransactionResult> ExchangeAsync(Socket socket, ushort transactionId, Memory<byte> response, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.RequestTimeout, _time);
        using CancellationTokenRegistration link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        int stale = 0;
        TransactionStatus status;
        try
        {
            await socket.SendAsync(_request, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                // Modbus Messaging on TCP/IP Implementation Guide v1.0b §3.1.3: the header first, then its length.
                if (!await ReceiveExactlyAsync(socket, response[..MbapHeader.Size], deadline.Token).ConfigureAwait(false))
                {
                    status = TransactionStatus.ConnectionClosed;
                    break;
                }

                MbapHeader header;
                try
                {
                    MbapHeader.TryRead(response.Span, out header);
                }
                catch (MbapFramingException framing)
                {
                    Log.FramingError(_logger, _options.Name, transactionId, framing.Message);
                    status = TransactionStatus.FramingError;
                    break;
                }

                if (!await ReceiveExactlyAsync(socket, response.Slice(MbapHeader.Size, header.BodyLength), deadline.Token).ConfigureAwait(false))
                {
                    status = TransactionStatus.ConnectionClosed;
                    break;
                }

                if (header.TransactionId == transactionId)
                {
                    Interlocked.Increment(ref _ok);
                    return new TransactionResult(TransactionStatus.Ok, header.AduLength, transactionId, stale, TimeSpan.Zero);
                }

                // A reply to another request, most likely a late one: never the answer to this one.
                stale++;
                Interlocked.Increment(ref _staleReplies);
                Log.StaleReply(_logger, _options.Name, header.TransactionId, transactionId);
                if (stale > _options.MaxStaleReplies)
                {
                    Log.TooManyStaleReplies(_logger, _options.Name, _options.MaxStaleReplies, transactionId);
                    status = TransactionStatus.TooManyStaleReplies;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            status = TransactionStatus.Timeout;
        }
        catch (SocketException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            status = TransactionStatus.Timeout;
        }
        catch (SocketException)
        {
            status = TransactionStatus.ConnectionClosed;
        }
        catch (OperationCanceledException)
        {
            CloseSocket();
            throw new OperationCanceledException(cancellationToken);
        }

        CloseSocket();
        switch (status)
        {
            case TransactionStatus.Timeout:
                Interlocked.Increment(ref _timeouts);
                Log.Timeout(_logger, _options.Name, transactionId, _options.RequestTimeout);
                break;
            case TransactionStatus.FramingError:
                Interlocked.Increment(ref _framingErrors);
                break;
            case TransactionStatus.ConnectionClosed:
                Interlocked.Increment(ref _connectionsClosed);
                Log.ConnectionClosed(_logger, _options.Name, transactionId);
                break;
        }

        return new TransactionResult(status, 0, transactionId, stale, TimeSpan.Zero);
    }

    private static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
        }

        return true;
    }

    private async ValueTask<Socket?> ConnectAsync(CancellationToken cancellationToken)
    {
        Socket socket = IPAddress.TryParse(_options.Host, out IPAddress? address)
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        string? failure = null;
        using (var deadline = new CancellationTokenSource(_options.ConnectTimeout, _time))
        using (cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline))
        {
            try
            {
                socket.NoDelay = true;
                EndPoint endpoint = address is not null ? new IPEndPoint(address, _options.Port) : new DnsEndPoint(_options.Host, _options.Port);
                await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"no answer within {_options.ConnectTimeout}";
            }
            catch (SocketException error)
            {
                failure = error.Message;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                throw new OperationCanceledException(cancellationToken);
            }
        }

        if (failure is not null)
        {
            socket.Dispose();
            Interlocked.Increment(ref _connectFailures);
            TimeSpan delay = _backoff.NextDelay();
            _nextConnectAttempt = _time.GetUtcNow() + delay;
            Log.ConnectFailed(_logger, _options.Name, _endpoint, failure, delay);
            return null;
        }

        _backoff.Reset();
        Interlocked.Increment(ref _connects);
        if (_everConnected)
        {
            Interlocked.Increment(ref _reconnects);
        }

        _everConnected = true;
        Volatile.Write(ref _socket, socket);
        Log.Connected(_logger, _options.Name, _endpoint);
        return socket;
    }

    /// <summary>
    /// Before a request, the connection must be quiet: bytes waiting now answer no request of ours (left
    /// over from a reply whose length field lied short), and a readable socket with no bytes was closed by
    /// the peer. Either way it is closed, so the request goes out on a fresh connection.
    /// </summary>
    private void DropConnectionIfNotIdle()
    {
        ConnectionState state = ProbeConnection();
        if (state is ConnectionState.None or ConnectionState.Idle)
        {
            return;
        }

        if (state == ConnectionState.UnsolicitedBytes)
        {
            Interlocked.Increment(ref _unsolicitedBytes);
            Log.UnsolicitedBytes(_logger, _options.Name, PendingBytes());
        }

        CloseSocket();
    }

    /// <summary>What the open connection looks like between transactions, without reading from it.</summary>
    internal ConnectionState ProbeConnection()
    {
        Socket? socket = _socket;
        if (socket is null)
        {
            return ConnectionState.None;
        }

        try
        {
            if (socket.Available > 0)
            {
                return ConnectionState.UnsolicitedBytes;
            }

            return socket.Poll(0, SelectMode.SelectRead) ? ConnectionState.ClosedByPeer : ConnectionState.Idle;
        }
        catch (SocketException)
        {
            return ConnectionState.ClosedByPeer;
        }
    }

    private int PendingBytes()
    {
        try
        {
            return _socket?.Available ?? 0;
        }
        catch (SocketException)
        {
            return 0;
        }
    }

    private void CloseSocket()
    {
        Socket? socket = Interlocked.Exchange(ref _socket, null);
        socket?.Dispose();
    }
}
