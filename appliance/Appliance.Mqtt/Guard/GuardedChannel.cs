using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace Appliance.Mqtt.Guard;

/// <summary>
/// The transport MQTTnet reads from: MQTTnet's own TCP/TLS channel with a guard in front of its read side. Bytes
/// from the broker are framed here first, into a buffer that starts at 4 KiB and grows only to the packet at hand;
/// a packet is handed to MQTTnet only once it is complete and has passed <see cref="InboundPacket"/>, so a broker
/// that claims 256 MB, or sends garbage, never makes MQTTnet allocate or decode anything. A violation is recorded in
/// the <see cref="ConnectionGuard"/> and thrown: MQTTnet drops the connection. Writes pass straight through.
/// </summary>
internal sealed class GuardedChannel : IMqttChannel
{
    private const int InitialSize = 4096;
    private const int HeaderGuess = 5;

    private readonly IMqttChannel _inner;
    private readonly ConnectionGuard _guard;
    private byte[] _buffer = new byte[InitialSize];
    private int _start;
    private int _ready;
    private int _end;

    public GuardedChannel(IMqttChannel inner, ConnectionGuard guard)
    {
        _inner = inner;
        _guard = guard;
        guard.PeakReceiveBuffer = Math.Max(guard.PeakReceiveBuffer, _buffer.Length);
        guard.Attach(inner);
    }

    public X509Certificate2 ClientCertificate => _inner.ClientCertificate;

    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public bool IsSecureConnection => _inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => _inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => _inner.DisconnectAsync(cancellationToken);

    public void Dispose() => _inner.Dispose();

    /// <summary>Serves the bytes of checked packets; reads and checks the next packet when those are used up. 0 when the broker closed the connection.</summary>
    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_start == _ready && !await NextPacketAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        int served = Math.Min(count, _ready - _start);
        Buffer.BlockCopy(_buffer, _start, buffer, offset, served);
        _start += served;
        return served;
    }

    public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        _guard.WriteStarted();
        try
        {
            await _inner.WriteAsync(buffer, isEndOfPacket, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _guard.WriteInterrupted = true;
            throw;
        }
        finally
        {
            _guard.WriteEnded();
        }
    }

    private async Task<bool> NextPacketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int total;
            try
            {
                total = InboundPacket.Frame(_buffer.AsSpan(_start, _end - _start), _guard.Version, _guard.MaximumPacketSize);
                if (total > 0 && _end - _start >= total)
                {
                    InboundPacket.Validate(_buffer.AsSpan(_start, total), _guard);
                    _ready = _start + total;
                    return true;
                }
            }
            catch (MqttProtocolException e)
            {
                _guard.Fail(new MqttError(MqttErrorKind.ProtocolViolation, $"the broker broke the protocol, so the connection was dropped: {e.Message}", e.ReasonCode, _guard.Now()));
                throw;
            }

            MakeRoom(total > 0 ? total : HeaderGuess);
            int read;
            try
            {
                read = await _inner.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                _guard.Fail(new MqttError(MqttErrorKind.ConnectionLost, $"the connection to {_guard.Broker} was lost: {e.Message}", null, _guard.Now()));
                throw;
            }

            if (read == 0)
            {
                string text = _end == _start
                    ? $"the broker {_guard.Broker} closed the connection"
                    : $"the broker {_guard.Broker} closed the connection in the middle of a packet: {InboundPacket.DescribePartial(_buffer.AsSpan(_start, _end - _start))}";
                _guard.Fail(new MqttError(MqttErrorKind.ConnectionLost, text, null, _guard.Now()));
                return false;
            }

            _end += read;
        }
    }

    /// <summary>Makes room for a packet of <paramref name="packetLength"/> bytes from <see cref="_start"/>; the buffer grows to that packet only (already checked against the maximum).</summary>
    private void MakeRoom(int packetLength)
    {
        if (_start == _end)
        {
            _start = _ready = _end = 0;
            if (_buffer.Length > InitialSize && packetLength <= InitialSize)
            {
                _buffer = new byte[InitialSize];
            }
        }

        if (_buffer.Length - _start >= packetLength && _end < _buffer.Length)
        {
            return;
        }

        byte[] target = _buffer.Length >= packetLength ? _buffer : new byte[packetLength];
        Buffer.BlockCopy(_buffer, _start, target, 0, _end - _start);
        _end -= _start;
        _ready = _start = 0;
        _buffer = target;
        _guard.PeakReceiveBuffer = Math.Max(_guard.PeakReceiveBuffer, _buffer.Length);
    }
}
