using System.Buffers;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Connection;

/// <summary>
/// The bytes received and not yet parsed. It starts small and grows only to the size of the packet at hand,
/// which the fixed header has already checked against the maximum packet size: a broker that claims a huge
/// Remaining Length is refused before a byte of the body is buffered, so memory stays bounded.
/// </summary>
internal sealed class ReceiveBuffer
{
    private const int InitialSize = 4096;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public ReceiveBuffer(int maximumPacketSize)
    {
        _buffer = new byte[Math.Min(InitialSize, maximumPacketSize)];
        Peak = _buffer.Length;
    }

    /// <summary>The largest the buffer has been, in bytes.</summary>
    public int Peak { get; private set; }

    public int Buffered => _end - _start;

    /// <summary>Where the next read goes; never empty.</summary>
    public Memory<byte> Free => _buffer.AsMemory(_end);

    public void Commit(int count) => _end += count;

    /// <summary>Parses one packet if it is complete; otherwise makes room for the rest of it and returns false.</summary>
    public bool TryRead(in MqttCodecSettings settings, out MqttPacket? packet)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_buffer, _start, _end - _start));
        if (MqttPacketReader.TryRead(ref reader, settings, out packet))
        {
            _start += (int)reader.Consumed;
            if (_start == _end)
            {
                _start = _end = 0;
                if (_buffer.Length > InitialSize)
                {
                    _buffer = new byte[InitialSize];
                }
            }

            return true;
        }

        var probe = new SequenceReader<byte>(new ReadOnlySequence<byte>(_buffer, _start, _end - _start));
        int needed = MqttPacketReader.TryReadFixedHeader(ref probe, settings, out FixedHeader header) ? header.TotalLength : 5;
        MakeRoom(needed);
        return false;
    }

    /// <summary>What the buffered bytes are, for the message when the connection closes in the middle of a packet.</summary>
    public string DescribePartial(in MqttCodecSettings settings)
    {
        var probe = new SequenceReader<byte>(new ReadOnlySequence<byte>(_buffer, _start, _end - _start));
        try
        {
            return MqttPacketReader.TryReadFixedHeader(ref probe, settings, out FixedHeader header)
                ? $"{PacketBodyReader.Describe(header.Type)} after {Buffered} of its {header.TotalLength} bytes"
                : $"{PacketBodyReader.Describe((MqttPacketType)(_buffer[_start] >> 4))} inside its fixed header, after {Buffered} byte{(Buffered == 1 ? string.Empty : "s")}";
        }
        catch (MqttProtocolException)
        {
            return $"after {Buffered} bytes of a packet";
        }
    }

    private void MakeRoom(int packetLength)
    {
        if (_buffer.Length - _start >= packetLength && _end < _buffer.Length)
        {
            return;
        }

        byte[] target = _buffer.Length >= packetLength ? _buffer : new byte[packetLength];
        Buffer.BlockCopy(_buffer, _start, target, 0, _end - _start);
        _end -= _start;
        _start = 0;
        _buffer = target;
        Peak = Math.Max(Peak, _buffer.Length);
    }
}
