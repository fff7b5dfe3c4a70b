using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Appliance.Drivers.Audit;

/// <summary>
/// The audit log: an append-only file of JSON lines, each carrying a sequence number and the SHA-256 of the line before
/// it (<c>prev</c>, in hex; 64 zeros before the first line ever), so that a line removed or edited anywhere breaks the
/// chain (<see cref="AuditVerifier"/>, <c>appliance audit verify</c>). Every line is flushed to the disk before
/// <see cref="Write"/> returns. When the file would grow past its size, it is renamed to FILE.1 (FILE.1 to FILE.2 ...,
/// the oldest dropped) and a new file continues the same chain. A line torn by a power loss is cut off at the next
/// open and the cut is itself recorded.
/// </summary>
public sealed class AuditLog : IDisposable
{
    /// <summary>The <c>prev</c> of the first line ever.</summary>
    public static readonly string Genesis = new('0', 64);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private FileStream _file;
    private string _lastHash;
    private long _sequence;
    private bool _disposed;

    private AuditLog(string path, long maxBytes, int keep, TimeProvider time)
    {
        Path = path;
        MaxBytes = maxBytes;
        Keep = keep;
        _time = time;
        (_lastHash, _sequence, long torn) = Recover(path);
        _file = OpenForAppend(path);
        if (torn > 0)
        {
            Write(new AuditEntry("torn-tail-dropped", Detail: string.Create(CultureInfo.InvariantCulture, $"{torn} bytes of a line cut by a power loss were removed")));
        }
    }

    public string Path { get; }

    public long MaxBytes { get; }

    /// <summary>Rotated files kept besides the current one.</summary>
    public int Keep { get; }

    /// <summary>The sequence number of the last line written.</summary>
    public long Sequence
    {
        get
        {
            lock (_lock)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Opens (or creates) the log at <paramref name="path"/>, continuing its chain.</summary>
    /// <exception cref="IOException">The file or its directory cannot be used.</exception>
    public static AuditLog Open(string path, long maxBytes = 1 << 20, int keep = 4, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 4096);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        return new AuditLog(path, maxBytes, keep, time ?? TimeProvider.System);
    }

    /// <summary>Appends the entry as one line and flushes it to the disk.</summary>
    public void Write(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            byte[] line = Format(entry, _sequence + 1, _time.GetUtcNow(), _lastHash);
            if (_file.Length > 0 && _file.Length + line.Length + 1 > MaxBytes)
            {
                Rotate();
            }

            _file.Write(line);
            _file.WriteByte((byte)'\n');
            _file.Flush(flushToDisk: true);
            _sequence++;
            _lastHash = Hash(line);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _disposed = true;
                _file.Dispose();
            }
        }
    }

    /// <summary>The hex SHA-256 of a line's bytes (without its newline).</summary>
    public static string Hash(ReadOnlySpan<byte> line) => Convert.ToHexStringLower(SHA256.HashData(line));

    internal static byte[] Format(AuditEntry entry, long sequence, DateTimeOffset at, string prev)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq"u8, sequence);
            json.WriteString("ts"u8, at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("event"u8, entry.Event);
            Optional(json, "driver"u8, entry.Driver);
            Optional(json, "call"u8, entry.Call);
            Optional(json, "target"u8, entry.Target is { Length: > 200 } long_ ? long_[..200] + "..." : entry.Target);
            Optional(json, "mode"u8, entry.Mode);
            Optional(json, "detail"u8, entry.Detail);
            json.WriteString("prev"u8, prev);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();

        static void Optional(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
        {
            if (value is not null)
            {
                json.WriteString(name, value);
            }
        }
    }

    private void Rotate()
    {
        _file.Dispose();
        File.Delete($"{Path}.{Keep}");
        for (int i = Keep - 1; i >= 1; i--)
        {
            if (File.Exists($"{Path}.{i}"))
            {
                File.Move($"{Path}.{i}", $"{Path}.{i + 1}");
            }
        }

        File.Move(Path, Path + ".1");
        _file = OpenForAppend(Path);
    }

    private static FileStream OpenForAppend(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);

    /// <summary>The last line's hash and sequence (from FILE, else FILE.1), after cutting a torn tail off FILE.</summary>
    private static (string Hash, long Sequence, long Torn) Recover(string path)
    {
        long torn = 0;
        if (File.Exists(path))
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            long end = LastLineEnd(file);
            torn = file.Length - end;
            if (torn > 0)
            {
                file.SetLength(end);
                file.Flush(flushToDisk: true);
            }
        }

        foreach (string candidate in (ReadOnlySpan<string>)[path, path + ".1"])
        {
            if (File.Exists(candidate) && LastLine(candidate) is { } last)
            {
                using JsonDocument parsed = JsonDocument.Parse(last);
                return (Hash(last), parsed.RootElement.GetProperty("seq").GetInt64(), torn);
            }
        }

        return (Genesis, 0, torn);
    }

    /// <summary>The offset just past the last newline (0 when there is none).</summary>
    private static long LastLineEnd(FileStream file)
    {
        byte[] chunk = new byte[4096];
        long position = file.Length;
        while (position > 0)
        {
            int size = (int)Math.Min(chunk.Length, position);
            position -= size;
            file.Position = position;
            file.ReadExactly(chunk, 0, size);
            int newline = Array.LastIndexOf(chunk, (byte)'\n', size - 1);
            if (newline >= 0)
            {
                return position + newline + 1;
            }
        }

        return 0;
    }

    private static byte[]? LastLine(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int end = bytes.Length;
        while (end > 0 && bytes[end - 1] == '\n')
        {
            end--;
        }

        if (end == 0)
        {
            return null;
        }

        int start = Array.LastIndexOf(bytes, (byte)'\n', end - 1) + 1;
        return bytes[start..end];
    }
}
