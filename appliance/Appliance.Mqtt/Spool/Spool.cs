using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Appliance.Mqtt.Spool;

/// <summary>
/// The store-and-forward queue between telemetry and the MQTT client: a SQLite database in WAL mode with
/// <c>synchronous=FULL</c>. <c>EnqueueAsync</c> completes only once its message is committed (and the WAL
/// fsynced); one writer loop group-commits everything enqueued or acknowledged while the previous commit ran. Messages
/// are read back in id order (<c>ReadAfter</c>) and deleted only when <see cref="Acknowledge"/> says the broker
/// has them. Bounded by <see cref="SpoolOptions.MaxBytes"/>: a full spool drops its oldest messages, counts them and
/// raises <see cref="SpoolOptions.Overflowed"/>.
/// <para>
/// The spool also numbers messages: each stream (for the gateway, one device's poll group) has a sequence number that
/// is committed in the same transaction as the message that carries it (<see cref="NextSequence"/>,
/// <see cref="SequenceStamp"/>). A crash at any moment leaves either the message and its number or neither, so the
/// numbers a consumer sees have no gap unless messages were dropped from a full spool.
/// </para>
/// </summary>
public sealed class Spool : IAsyncDisposable
{
    /// <summary>Bytes accounted per message on top of its topic and payload (row header, id, index entry).</summary>
    public const int RowOverhead = 64;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS message (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            topic TEXT NOT NULL,
            payload BLOB NOT NULL,
            qos INTEGER NOT NULL,
            retain INTEGER NOT NULL,
            enqueued_ms INTEGER NOT NULL,
            size INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS stream_sequence (
            stream TEXT PRIMARY KEY NOT NULL,
            last INTEGER NOT NULL) WITHOUT ROWID;
        """;

    private readonly SpoolOptions _options;
    private readonly ILogger _logger;
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly Channel<SpoolWrite> _writes = Channel.CreateUnbounded<SpoolWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _dropOldest;
    private readonly SqliteCommand _readAfter;
    private readonly SqliteCommand _sequence;
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private readonly Task _writer;
    private TaskCompletionSource _committed = NewSignal();
    private long _lastCommittedId;
    private long _queued;
    private long _queuedBytes;
    private long _published;
    private long _dropped;
    private bool _full;

    private Spool(SpoolOptions options, SqliteConnection connection)
    {
        _options = options;
        _logger = options.Logger;
        _connection = connection;
        _insert = Prepare("INSERT INTO message (topic, payload, qos, retain, enqueued_ms, size) VALUES ($topic, $payload, $qos, $retain, $enqueued, $size) RETURNING id", "$topic", "$payload", "$qos", "$retain", "$enqueued", "$size");
        _delete = Prepare("DELETE FROM message WHERE id = $id RETURNING size", "$id");
        _dropOldest = Prepare("DELETE FROM message WHERE id = (SELECT min(id) FROM message) RETURNING size");
        _readAfter = Prepare("SELECT id, topic, payload, qos, retain, enqueued_ms FROM message WHERE id > $after ORDER BY id LIMIT $limit", "$after", "$limit");
        _sequence = Prepare("INSERT INTO stream_sequence (stream, last) VALUES ($stream, $last) ON CONFLICT (stream) DO UPDATE SET last = max(last, excluded.last)", "$stream", "$last");

        // The highest id still queued, not the last id ever given out (sqlite_sequence): the pump starts reading at 0, and a
        // high-water mark above every queued row would tell it there is something to read when there is nothing.
        using (SqliteCommand totals = Prepare("SELECT count(*), coalesce(sum(size), 0), coalesce(max(id), 0) FROM message"))
        using (SqliteDataReader reader = totals.ExecuteReader())
        {
            reader.Read();
            _queued = reader.GetInt64(0);
            _queuedBytes = reader.GetInt64(1);
            _lastCommittedId = reader.GetInt64(2);
        }

        using (SqliteCommand sequences = Prepare("SELECT stream, last FROM stream_sequence"))
        using (SqliteDataReader reader = sequences.ExecuteReader())
        {
            while (reader.Read())
            {
                _lastSequence[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        _writer = Task.Factory.StartNew(WriteLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Path of the database.</summary>
    public string Path => _options.Path;

    /// <summary>A consistent snapshot of the counters.</summary>
    public SpoolCounters Counters
    {
        get
        {
            lock (_gate)
            {
                return new SpoolCounters(_queued, _queuedBytes, _published, _dropped);
            }
        }
    }

    /// <summary>Opens (or creates) the spool at <see cref="SpoolOptions.Path"/>, creating its directory; the queue left by an earlier run is kept.</summary>
    public static Spool Open(SpoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBytes, "the spool's MaxBytes must be at least 1024");
        }

        SqliteRuntime.EnsureInitialized();
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path)) ?? ".";
        Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = options.Path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        try
        {
            connection.Open();
            string mode = Execute(connection, "PRAGMA journal_mode = WAL") as string ?? "";
            if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException($"{options.Path}: SQLite refused WAL mode (journal_mode is \"{mode}\"); the spool needs a file system with shared memory and locks");
            }

            // FULL: the WAL is fsynced at every commit, so an acknowledged enqueue survives a power cut too.
            Execute(connection, "PRAGMA synchronous = FULL");
            Execute(connection, Schema);
            var spool = new Spool(options, connection);
            SpoolCounters counters = spool.Counters;
            SpoolLog.Opened(spool._logger, options.Path, counters.Queued, counters.QueuedBytes, options.MaxBytes);
            return spool;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Bytes a message is accounted for against <see cref="SpoolOptions.MaxBytes"/>.</summary>
    public static long SizeOf(string topic, int payloadLength)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return Encoding.UTF8.GetByteCount(topic) + (long)payloadLength + RowOverhead;
    }

    /// <summary>
    /// Commits a message to the spool and returns its id once the commit is durable. The payload is copied. A full
    /// spool drops its oldest messages first. Fails with <see cref="IOException"/> (or <see cref="SqliteException"/>)
    /// when the commit fails, and <see cref="ObjectDisposedException"/> after <see cref="DisposeAsync"/>.
    /// </summary>
    public Task<long> EnqueueAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain) =>
        EnqueueAsync(topic, payload, qos, retain, sequence: null);

    /// <summary>
    /// As <see cref="EnqueueAsync(string, ReadOnlyMemory{byte}, MqttQos, bool)"/>, and commits <paramref name="sequence"/> as the last
    /// number of its stream in the same transaction. Take the number from <see cref="NextSequence"/>, and enqueue one
    /// message of a stream at a time: if the commit fails, the number was not used and the next call gets it again.
    /// </summary>
    public Task<long> EnqueueAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, SequenceStamp? sequence)
    {
        long size = SizeOf(topic, payload.Length);
        if (size > _options.MaxBytes)
        {
            throw new ArgumentException($"a message of {size} bytes (topic \"{topic}\") can never fit a spool of {_options.MaxBytes} bytes", nameof(payload));
        }

        var write = new SpoolWrite(topic, payload.ToArray(), qos, retain, size, sequence);
        if (!_writes.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(Spool), "the spool is closed");
        }

        return write.Committed!.Task;
    }

    /// <summary>The broker has message <paramref name="id"/>: it is deleted in the next group commit. Unknown or already dropped ids are ignored.</summary>
    public void Acknowledge(long id) => _writes.Writer.TryWrite(new SpoolWrite(id));

    /// <summary>The number the next message of <paramref name="stream"/> carries: 1 for its first message ever, then one more than the last committed.</summary>
    public long NextSequence(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_gate)
        {
            return _lastSequence.GetValueOrDefault(stream) + 1;
        }
    }

    /// <summary>
    /// Takes over sequence numbers kept elsewhere (an older version's file): each stream's last number becomes the larger
    /// of the two, in one transaction. Running it again with the same numbers changes nothing.
    /// </summary>
    public void ImportSequences(IEnumerable<KeyValuePair<string, long>> lastNumbers)
    {
        ArgumentNullException.ThrowIfNull(lastNumbers);
        KeyValuePair<string, long>[] imported = [.. lastNumbers];
        lock (_gate)
        {
            using (SqliteTransaction transaction = _connection.BeginTransaction())
            {
                _sequence.Transaction = transaction;
                foreach ((string stream, long last) in imported)
                {
                    _sequence.Parameters[0].Value = stream;
                    _sequence.Parameters[1].Value = last;
                    _sequence.ExecuteNonQuery();
                }

                transaction.Commit();
                _sequence.Transaction = null;
            }

            foreach ((string stream, long last) in imported)
            {
                _lastSequence[stream] = Math.Max(_lastSequence.GetValueOrDefault(stream), last);
            }
        }
    }

    /// <summary>Up to <paramref name="max"/> committed messages with an id above <paramref name="afterId"/>, oldest first.</summary>
    public IReadOnlyList<SpooledMessage> ReadAfter(long afterId, int max) => ReadAfter(afterId, max, out _);

    /// <summary>
    /// As <see cref="ReadAfter(long, int)"/>; <paramref name="committedThrough"/> is the highest id committed when the rows were
    /// read. When nothing is returned, no message up to that id is left to read, so a reader may wait beyond it.
    /// </summary>
    public IReadOnlyList<SpooledMessage> ReadAfter(long afterId, int max, out long committedThrough)
    {
        var messages = new List<SpooledMessage>();
        lock (_gate)
        {
            committedThrough = _lastCommittedId;
            _readAfter.Parameters[0].Value = afterId;
            _readAfter.Parameters[1].Value = max;
            using SqliteDataReader reader = _readAfter.ExecuteReader();
            while (reader.Read())
            {
                messages.Add(new SpooledMessage(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    (byte[])reader.GetValue(2),
                    (MqttQos)reader.GetInt32(3),
                    reader.GetInt64(4) != 0,
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
            }
        }

        return messages;
    }

    /// <summary>Completes once a message with an id above <paramref name="afterId"/> has been committed.</summary>
    public Task WaitForMessageAfterAsync(long afterId, CancellationToken cancellationToken)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (_lastCommittedId > afterId)
            {
                return Task.CompletedTask;
            }

            signal = _committed;
        }

        return signal.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs <c>PRAGMA integrity_check</c>: "ok", or SQLite's list of problems.</summary>
    public string CheckIntegrity()
    {
        lock (_gate)
        {
            return Execute(_connection, "PRAGMA integrity_check") as string ?? "no answer";
        }
    }

    /// <summary>Commits what is pending, then closes the database (checkpointing the WAL).</summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        lock (_gate)
        {
            _insert.Dispose();
            _delete.Dispose();
            _dropOldest.Dispose();
            _readAfter.Dispose();
            _sequence.Dispose();
            _connection.Dispose();
            _committed.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static object? Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>A command whose parameters are addressed by position, in the order given.</summary>
    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (string parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = parameter });
        }

        return command;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<SpoolWrite>(_options.MaxBatch);
        ChannelReader<SpoolWrite> reader = _writes.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && reader.TryRead(out SpoolWrite? write))
            {
                batch.Add(write);
            }

            Commit(batch);
        }
    }

    private void Commit(List<SpoolWrite> batch)
    {
        long queued, bytes, published = 0, dropped = 0, lastId = 0;
        bool numbered = false;
        SpoolOverflow? overflow = null;
        TaskCompletionSource? signal = null;
        bool roomAgain = false;
        try
        {
            lock (_gate)
            {
                queued = _queued;
                bytes = _queuedBytes;
                long enqueuedAt = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
                using (SqliteTransaction transaction = _connection.BeginTransaction())
                {
                    _insert.Transaction = transaction;
                    _delete.Transaction = transaction;
                    _dropOldest.Transaction = transaction;
                    _sequence.Transaction = transaction;
                    foreach (SpoolWrite write in batch)
                    {
                        if (write.Committed is null)
                        {
                            _delete.Parameters[0].Value = write.DeleteId;
                            if (_delete.ExecuteScalar() is long size)
                            {
                                queued--;
                                bytes -= size;
                                published++;
                            }

                            continue;
                        }

                        while (bytes + write.Size > _options.MaxBytes && _dropOldest.ExecuteScalar() is long droppedSize)
                        {
                            queued--;
                            bytes -= droppedSize;
                            dropped++;
                        }

                        _insert.Parameters[0].Value = write.Topic;
                        _insert.Parameters[1].Value = write.Payload;
                        _insert.Parameters[2].Value = (int)write.Qos;
                        _insert.Parameters[3].Value = write.Retain ? 1 : 0;
                        _insert.Parameters[4].Value = enqueuedAt;
                        _insert.Parameters[5].Value = write.Size;
                        write.Id = (long)_insert.ExecuteScalar()!;
                        if (write.Sequence is { } stamp)
                        {
                            _sequence.Parameters[0].Value = stamp.Stream;
                            _sequence.Parameters[1].Value = stamp.Number;
                            _sequence.ExecuteNonQuery();
                            numbered = true;
                        }

                        lastId = write.Id;
                        queued++;
                        bytes += write.Size;
                    }

                    transaction.Commit();
                }

                _insert.Transaction = null;
                _delete.Transaction = null;
                _dropOldest.Transaction = null;
                _sequence.Transaction = null;
                _queued = queued;
                if (numbered)
                {
                    foreach (SpoolWrite write in batch)
                    {
                        if (write.Sequence is { } stamp && stamp.Number > _lastSequence.GetValueOrDefault(stamp.Stream))
                        {
                            _lastSequence[stamp.Stream] = stamp.Number;
                        }
                    }
                }

                _queuedBytes = bytes;
                _published += published;
                _dropped += dropped;
                if (dropped > 0)
                {
                    overflow = new SpoolOverflow(dropped, _dropped);
                    if (!_full)
                    {
                        _full = true;
                        SpoolLog.Full(_logger, _options.MaxBytes, _dropped);
                    }
                }
                else if (_full && bytes <= _options.MaxBytes / 2)
                {
                    _full = false;
                    roomAgain = true;
                }

                if (lastId > 0)
                {
                    _lastCommittedId = lastId;
                    signal = _committed;
                    _committed = NewSignal();
                }
            }
        }
        catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
        {
            lock (_gate)
            {
                _insert.Transaction = null;
                _delete.Transaction = null;
                _dropOldest.Transaction = null;
                _sequence.Transaction = null;
            }

            SpoolLog.CommitFailed(_logger, batch.Count, e.Message);
            foreach (SpoolWrite write in batch)
            {
                write.Committed?.TrySetException(new IOException($"{_options.Path}: the spool could not commit the message: {e.Message}", e));
            }

            return;
        }

        foreach (SpoolWrite write in batch)
        {
            write.Committed?.TrySetResult(write.Id);
        }

        signal?.TrySetResult();
        if (overflow is { } alarm)
        {
            _options.Overflowed?.Invoke(alarm);
        }

        if (roomAgain)
        {
            SpoolLog.RoomAgain(_logger, queued, _dropped);
        }
    }

    /// <summary>One operation for the writer loop: an enqueue (with its completion) or a deletion.</summary>
    private sealed class SpoolWrite
    {
        public SpoolWrite(string topic, byte[] payload, MqttQos qos, bool retain, long size, SequenceStamp? sequence)
        {
            Sequence = sequence;
            Topic = topic;
            Payload = payload;
            Qos = qos;
            Retain = retain;
            Size = size;
            Committed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public SpoolWrite(long deleteId)
        {
            Topic = "";
            Payload = [];
            DeleteId = deleteId;
        }

        public string Topic { get; }

        public byte[] Payload { get; }

        public MqttQos Qos { get; }

        public bool Retain { get; }

        public long Size { get; }

        public long DeleteId { get; }

        public SequenceStamp? Sequence { get; }

        public long Id { get; set; }

        public TaskCompletionSource<long>? Committed { get; }
    }
}
