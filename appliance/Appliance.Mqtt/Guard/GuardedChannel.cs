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
/// the <see cref="ConnectionGuard"/> and thrown: MQTTnet drops the connection.
/// <para>
/// Writes are gathered: MQTTnet writes every packet on its own (a PUBLISH as two writes, header and payload), which
/// cost a system call and a TCP segment each and made QoS 1 through the spool 40 % slower than the hand-written
/// client's batched writes. A write here is copied into a send buffer (64 KiB, or one larger packet) and returns; one
/// flush at a time writes everything gathered meanwhile in a single write. A full buffer makes writers wait for the
/// flush, so a broker that stops reading still stops us. A failed flush fails every later write and cuts the
/// connection.
/// </para>
/// </summary>
internal sealed class GuardedChannel : IMqttChannel
{
    private const int InitialSize = 4096;
    private const int HeaderGuess = 5;
    private const int SendBufferSize = 64 * 1024;

    private readonly IMqttChannel _inner;
    private readonly ConnectionGuard _guard;
    private byte[] _buffer = new byte[InitialSize];
    private int _start;
    private int _ready;
    private int _end;
    private readonly Lock _sendGate = new();
    private byte[] _sending = new byte[SendBufferSize];
    private byte[] _spare = new byte[SendBufferSize];
    private int _gathered;
    private Task? _flushing;
    private Exception? _sendFailure;

    public GuardedChannel(IMqttChannel inner, ConnectionGuard guard)
    {
        _inner = inner;
        _guard = guard;
        guard.PeakReceiveBuffer = Math.Max(guard.PeakReceiveBuffer, _buffer.Length);
        guard.Attach(inner, this);
    }

    public X509Certificate2 ClientCertificate => _inner.ClientCertificate;

    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public bool IsSecureConnection => _inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => _inner.ConnectAsync(cancellationToken);

    /// <summary>Completes when everything gathered so far is written (or the write failed).</summary>
    public Task Flushed
    {
        get
        {
            lock (_sendGate)
            {
                return _flushing ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>Flushes what was gathered (the DISCONNECT of a clean stop), then closes.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Task? flushing;
        lock (_sendGate)
        {
            flushing = _flushing;
        }

        if (flushing is not null)
        {
            await flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await _inner.DisconnectAsync(cancellationToken).ConfigureAwait(false);
    }

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

    /// <summary>Gathers the bytes for the next flush; waits only while the send buffer is full.</summary>
    public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        int length = checked((int)buffer.Length);
        while (true)
        {
            Task flushing;
            lock (_sendGate)
            {
                if (_sendFailure is { } failure)
                {
                    throw new IOException($"the connection to {_guard.Broker} failed while writing: {failure.Message}", failure);
                }

                if (_gathered == 0 || _gathered + length <= _sending.Length)
                {
                    if (_gathered + length > _sending.Length)
                    {
                        _sending = new byte[length];
                    }

                    buffer.CopyTo(_sending.AsSpan(_gathered));
                    _gathered += length;
                    if (_flushing is null)
                    {
                        _guard.WriteStarted();
                        _flushing = FlushAsync();
                    }

                    return;
                }

                flushing = _flushing!;
            }

            // A cancelled wait gathered nothing of this packet: the stream stays whole.
            await flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes what was gathered, in one write per round, until nothing is left.</summary>
    private async Task FlushAsync()
    {
        await Task.Yield();
        while (true)
        {
            byte[] data;
            int count;
            lock (_sendGate)
            {
                if (_gathered == 0)
                {
                    _flushing = null;
                    _guard.WriteEnded();
                    return;
                }

                data = _sending;
                count = _gathered;
                _sending = _spare.Length >= SendBufferSize ? _spare : new byte[SendBufferSize];
                _gathered = 0;
            }

            try
            {
                await _inner.WriteAsync(new ReadOnlySequence<byte>(data, 0, count), true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                lock (_sendGate)
                {
                    _sendFailure = e;
                    _flushing = null;
                    _guard.WriteEnded();
                }

                _guard.Abort(new MqttError(MqttErrorKind.ConnectionLost, $"the connection to {_guard.Broker} was lost while writing: {e.Message}", null, _guard.Now()));
                return;
            }

            lock (_sendGate)
            {
                _spare = data.Length == SendBufferSize ? data : _spare;
            }
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
