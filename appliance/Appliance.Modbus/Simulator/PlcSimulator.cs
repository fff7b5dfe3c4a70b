using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Modbus.Simulator;

/// <summary>
/// A Modbus TCP server that plays a PLC: the test peer of the transport and the demo's plant. It serves
/// read holding registers (0x03) and read input registers (0x04) from a <see cref="SimulatorRegisterMap"/>
/// whose values follow waveforms of the step k (one step every <see cref="PlcSimulatorOptions.Step"/>);
/// each reply is built from one step, a consistent snapshot. Any other function code gets exception 1
/// (illegal function), a quantity outside 1..125 exception 3, registers past 65535 exception 2; registers
/// inside the address space that no tag covers read 0. Every unit id is answered.
/// In attack mode a fraction of replies is replaced by one of the <see cref="AttackKind"/>s; every
/// reply sent is logged (<see cref="Exchanges"/>) with its transaction id and kind.
/// </summary>
public sealed class PlcSimulator : IAsyncDisposable
{
    private readonly PlcSimulatorOptions _options;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly Lock _logGate = new();
    private readonly Queue<SimulatorExchange> _exchanges = new();
    private readonly ConcurrentDictionary<long, SimulatorConnection> _connections = new();
    private readonly long[] _attacks = new long[AttackCatalogue.All.Length + 1];
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _startTimestamp;
    private double _attackRate;
    private long _connectionCount;
    private long _requests;
    private long _validReplies;
    private long _exceptionReplies;
    private int _stopped;

    public PlcSimulator(PlcSimulatorOptions? options = null, ILogger? logger = null)
    {
        _options = options ?? new PlcSimulatorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.Step, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConnections, 1, nameof(options));
        if (_options.Attacks.IsDefaultOrEmpty)
        {
            throw new ArgumentException("the attack list is empty; give at least one kind", nameof(options));
        }

        _logger = logger ?? NullLogger.Instance;
        Map = _options.Map ?? SimulatorRegisterMap.CreateDefault(_options.Seed);
        _random = new Random(_options.Seed);
        AttackRate = _options.AttackRate;
    }

    /// <summary>The registers served.</summary>
    public SimulatorRegisterMap Map { get; }

    /// <summary>The options the simulator was made with.</summary>
    public PlcSimulatorOptions Options => _options;

    /// <summary>Where it listens, once started (the actual port when 0 was asked for).</summary>
    public IPEndPoint EndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("the simulator has not been started");

    /// <summary>The port it listens on, once started.</summary>
    public int Port => EndPoint.Port;

    /// <summary>
    /// The fraction of replies (0 to 1) replaced by an attack; may be changed while running. Exception
    /// replies to requests the simulator does not serve are never replaced.
    /// </summary>
    public double AttackRate
    {
        get => Volatile.Read(ref _attackRate);
        set
        {
            if (!(value is >= 0 and <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "the attack rate is a fraction from 0 to 1");
            }

            Volatile.Write(ref _attackRate, value);
        }
    }

    /// <summary>The step k now: whole steps since <see cref="Start"/>.</summary>
    public long CurrentStep => _startTimestamp == 0 ? 0 : _options.TimeProvider.GetElapsedTime(_startTimestamp).Ticks / _options.Step.Ticks;

    /// <summary>Connections accepted so far.</summary>
    public long Connections => Interlocked.Read(ref _connectionCount);

    /// <summary>Requests read so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Replies sent as they should be (normal or exception).</summary>
    public long ValidReplies => Interlocked.Read(ref _validReplies);

    /// <summary>Valid exception replies (illegal function, address or value in the request).</summary>
    public long ExceptionReplies => Interlocked.Read(ref _exceptionReplies);

    /// <summary>Attacks sent in place of a reply, all kinds together.</summary>
    public long TotalAttacks
    {
        get
        {
            long total = 0;
            foreach (AttackKind kind in AttackCatalogue.All)
            {
                total += AttacksSent(kind);
            }

            return total;
        }
    }

    /// <summary>Attacks of <paramref name="kind"/> sent so far.</summary>
    public long AttacksSent(AttackKind kind) => Interlocked.Read(ref _attacks[(int)kind]);

    /// <summary>The latest exchanges (up to <see cref="PlcSimulatorOptions.MaxLoggedExchanges"/>), oldest first: a snapshot.</summary>
    public IReadOnlyList<SimulatorExchange> Exchanges()
    {
        lock (_logGate)
        {
            return [.. _exchanges];
        }
    }

    /// <summary>Binds the listening socket and starts accepting; returns when clients can connect.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("the simulator is already started");
        }

        var listener = new Socket(_options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(_options.Listen);
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _startTimestamp = _options.TimeProvider.GetTimestamp();
        Log.Listening(_logger, EndPoint);
        _acceptLoop = AcceptLoopAsync(listener, _stop.Token);
    }

    /// <summary>Stops accepting, closes every connection and waits for them to end.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        var ending = new List<Task>();
        foreach (SimulatorConnection connection in _connections.Values)
        {
            connection.Close();
            ending.Add(connection.Completion);
        }

        await Task.WhenAll(ending).ConfigureAwait(false);
        if (_listener is not null)
        {
            Log.Stopped(_logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Draws whether this reply is an attack, and which; null for a valid reply.</summary>
    internal AttackKind? ChooseAttack()
    {
        double rate = AttackRate;
        if (rate <= 0)
        {
            return null;
        }

        lock (_randomGate)
        {
            if (rate < 1 && _random.NextDouble() >= rate)
            {
                return null;
            }

            return _options.Attacks[_random.Next(_options.Attacks.Length)];
        }
    }

    /// <summary>A random integer in [<paramref name="min"/>, <paramref name="max"/>) from the seeded generator.</summary>
    internal int NextRandom(int min, int max)
    {
        lock (_randomGate)
        {
            return _random.Next(min, max);
        }
    }

    internal void NextRandomBytes(Span<byte> destination)
    {
        lock (_randomGate)
        {
            _random.NextBytes(destination);
        }
    }

    internal void Record(SimulatorExchange exchange)
    {
        Interlocked.Increment(ref _requests);
        if (exchange.Attack is { } attack)
        {
            Interlocked.Increment(ref _attacks[(int)attack]);
        }
        else
        {
            Interlocked.Increment(ref _validReplies);
            if (exchange.ExceptionCode != 0)
            {
                Interlocked.Increment(ref _exceptionReplies);
            }
        }

        lock (_logGate)
        {
            _exchanges.Enqueue(exchange);
            while (_exchanges.Count > _options.MaxLoggedExchanges)
            {
                _exchanges.Dequeue();
            }
        }
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                // Out of descriptors or a transient network error: pause instead of spinning.
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            string remote = client.RemoteEndPoint?.ToString() ?? "?";
            if (_connections.Count >= _options.MaxConnections)
            {
                Log.TooManyConnections(_logger, remote, _options.MaxConnections);
                client.Dispose();
                continue;
            }

            long id = Interlocked.Increment(ref _connectionCount);
            client.NoDelay = true;
            var connection = new SimulatorConnection(this, client, id, _logger);
            _connections[id] = connection;
            Log.Accepted(_logger, id, remote);
            connection.Start(() => _connections.TryRemove(id, out _), stop);
        }
    }
}
