using System.Net.Sockets;
using Appliance.Mqtt.Tests.Wire;

namespace Appliance.Mqtt.Tests.Support;

/// <summary>The broker's end of one client connection in a scripted test: read what the client sent, send exact bytes.</summary>
internal sealed class BrokerPeer : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _count;

    public BrokerPeer(TcpClient client, MqttProtocolVersion version)
    {
        _client = client;
        _stream = client.GetStream();
        Version = version;
    }

    public MqttProtocolVersion Version { get; }

    /// <summary>The next packet from the client; null when the client closed the connection.</summary>
    public async Task<MqttPacket?> ReadAsync()
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            if (Codec.Read(_buffer.AsSpan(0, _count), Version, out int used) is { } packet)
            {
                Buffer.BlockCopy(_buffer, used, _buffer, 0, _count - used);
                _count -= used;
                return packet;
            }

            if (_count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_count), guard.Token);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _count += read;
        }
    }

    public async Task<T> ExpectAsync<T>()
        where T : MqttPacket
    {
        MqttPacket? packet = await ReadAsync();
        return packet as T ?? throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name} from the client, got {packet?.GetType().Name ?? "end of stream"}");
    }

    /// <summary>Reads until the client closes the connection; packets on the way are returned.</summary>
    public async Task<List<MqttPacket>> ReadUntilClosedAsync()
    {
        var packets = new List<MqttPacket>();
        while (await ReadAsync() is { } packet)
        {
            packets.Add(packet);
        }

        return packets;
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task SendAsync(MqttPacket packet) => SendAsync(Codec.Encode(packet, Version));

    /// <summary>Reads the CONNECT and accepts it with <paramref name="connAck"/> (success by default).</summary>
    public async Task<ConnectPacket> AcceptAsync(ConnAckPacket? connAck = null)
    {
        ConnectPacket connect = await ExpectAsync<ConnectPacket>();
        await SendAsync(connAck ?? new ConnAckPacket());
        return connect;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
