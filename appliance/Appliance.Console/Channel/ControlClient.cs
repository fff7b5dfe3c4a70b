using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Appliance.Console.Channel;

/// <summary>
/// One connection to the daemon's control socket: one JSON request per line, one answer per line. It reconnects on the
/// next request after any failure; the daemon sees an ordinary client come and go, so a console that is killed or
/// crashes changes nothing for it. Answers are bounded (<see cref="MaxAnswerBytes"/>).
/// </summary>
public sealed class ControlClient(string socketPath) : IDisposable
{
    public const int MaxAnswerBytes = 4 * 1024 * 1024;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly byte[] _buffer = new byte[65536];
    private readonly MemoryStream _pending = new();
    private Socket? _socket;

    public string SocketPath => socketPath;

    /// <summary>Sends one request and returns its answer (a document the caller disposes).</summary>
    /// <exception cref="IOException">The daemon does not answer (not running, no permission, or it went away).</exception>
    public async Task<JsonDocument> AskAsync(string request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            if (_socket is null)
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                _socket = socket;
                _pending.SetLength(0);
            }

            byte[] line = Encoding.UTF8.GetBytes(request + "\n");
            int sent = 0;
            while (sent < line.Length)
            {
                sent += await _socket.SendAsync(line.AsMemory(sent), SocketFlags.None, deadline.Token).ConfigureAwait(false);
            }

            return JsonDocument.Parse(await ReadLineAsync(_socket, deadline.Token).ConfigureAwait(false));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or JsonException or IOException or ObjectDisposedException)
        {
            Drop();
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new IOException(e is JsonException ? "the daemon's answer is not JSON" : e.Message, e);
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose()
    {
        Drop();
        _one.Dispose();
        _pending.Dispose();
    }

    private async Task<byte[]> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            byte[] pending = _pending.GetBuffer();
            int newline = Array.IndexOf(pending, (byte)'\n', 0, (int)_pending.Length);
            if (newline >= 0)
            {
                byte[] answer = pending[..newline];
                byte[] rest = pending[(newline + 1)..(int)_pending.Length];
                _pending.SetLength(0);
                _pending.Write(rest);
                return answer;
            }

            if (_pending.Length > MaxAnswerBytes)
            {
                throw new IOException($"an answer of more than {MaxAnswerBytes} bytes");
            }

            int read = await socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the daemon closed the connection");
            }

            _pending.Write(_buffer, 0, read);
        }
    }

    private void Drop()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
