using System.Collections.Immutable;
using System.Net;

namespace Appliance.Modbus.Simulator;

/// <summary>How a <see cref="PlcSimulator"/> listens, what it serves, and how it misbehaves.</summary>
public sealed class PlcSimulatorOptions
{
    /// <summary>Address and port to listen on; port 0 picks a free one. 127.0.0.1:0 by default.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The registers served; <see cref="SimulatorRegisterMap.CreateDefault"/> with <see cref="Seed"/> when null.</summary>
    public SimulatorRegisterMap? Map { get; init; }

    /// <summary>Time per step k of the waveforms (100 ms by default).</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Fraction of replies (0 to 1) replaced by an attack.</summary>
    public double AttackRate { get; init; }

    /// <summary>The kinds attacks are drawn from, uniformly (all by default).</summary>
    public ImmutableArray<AttackKind> Attacks { get; init; } = AttackCatalogue.All;

    /// <summary>Seed of the attack choices (and of the default map's random walks).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Delay after each byte of a <see cref="AttackKind.DripFeed"/> reply. 150 ms: even the shortest reply (11 bytes) takes 1.65 s, past a typical 1 s request timeout.</summary>
    public TimeSpan DripDelay { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Pause between the segments of a <see cref="AttackKind.SplitFrame"/> reply.</summary>
    public TimeSpan SegmentDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The clock of the steps and the delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Connections served at once; more are closed on accept.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Exchanges kept in the log; the oldest are dropped beyond it.</summary>
    public int MaxLoggedExchanges { get; init; } = 100_000;
}
