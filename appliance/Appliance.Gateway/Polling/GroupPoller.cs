using System.Text;
using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Gateway.Supervision;
using Appliance.Gateway.Telemetry;
using Appliance.Modbus;
using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Polling;

/// <summary>
/// One poll group of one device: at its own interval it sends the group's planned reads through the device's
/// transport, has every reply decoded by the group's parser triplet, and publishes one message with the next
/// sequence number, good or bad. The host never looks at a reply beyond its MBAP header; values come only
/// from a voted outcome, and every tag index the outcome names is checked against the read it answers.
/// </summary>
public sealed class GroupPoller : IDisposable
{
    private static readonly TimeSpan DissentAlarmSpacing = TimeSpan.FromMinutes(1);

    private readonly DevicePoller _device;
    private readonly ParserTriplet _triplet;
    private readonly IReadOnlyList<PlannedRead> _reads;
    private readonly TelemetryJson _json = new();
    private readonly byte[] _reply = new byte[MbapHeader.MaxAduLength];
    private readonly ILogger _logger;
    private long _sinkFailures;
    private long _goodPolls;
    private long _badPolls;
    private long _lastSequence;
    private int _lastQuality; // 0 none yet, 1 good, 2 bad
    private long _lastStoredAt = DateTimeOffset.MinValue.UtcTicks;
    private long _lastStoredTimestamp; // the monotonic clock's (TimeProvider.GetTimestamp); 0: never
    private long? _lastDissentAlarm; // the monotonic clock's: a wall clock set back must not silence the next alarm

    internal GroupPoller(DevicePoller device, PollGroupConfig group, ParserTriplet triplet, string topic, ILogger logger)
    {
        _device = device;
        Group = group;
        _triplet = triplet;
        Topic = topic;
        _reads = ModbusOptionsMapping.Plan(device.Config, group);
        Stream = StreamName.Of(device.Config.Name, group.Name);
        _logger = logger;
    }

    public PollGroupConfig Group { get; }

    public string Topic { get; }

    /// <summary>The voter's statistics for this group's triplet.</summary>
    public TripletStatistics VoterStatistics => _triplet.Statistics;

    /// <summary>The numbered stream of this group's messages in the sink.</summary>
    public string Stream { get; }

    /// <summary>The transaction ids of the last poll's attempts, in order (for tests and diagnostics).</summary>
    internal List<ushort> LastTransactions { get; } = [];

    /// <summary>Called as a poll enters each stage; a test makes it throw to inject a fault there. Null in the product.</summary>
    internal Action<PathStage>? FaultProbe { get; set; }

    /// <summary>Messages the sink refused (for example a full disk under the spool): counted, alarmed, and lost.</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    /// <summary>Polls that published a good message.</summary>
    public long GoodPolls => Interlocked.Read(ref _goodPolls);

    /// <summary>Polls that published a bad message.</summary>
    public long BadPolls => Interlocked.Read(ref _badPolls);

    /// <summary>Whether the last stored message was good; null before the first.</summary>
    public bool? LastGood => Volatile.Read(ref _lastQuality) switch { 1 => true, 2 => false, _ => null };

    /// <summary>The sequence number of the last message the sink took, or 0.</summary>
    public long LastSequence => Interlocked.Read(ref _lastSequence);

    public void Dispose()
    {
        _json.Dispose();
        _triplet.Dispose();
    }

    /// <summary>
    /// Polls at the group's interval until cancelled. A poll that overruns its interval delays the next, never overlaps it.
    /// An exception that escapes a poll ends this call; the gateway's supervisor restarts it.
    /// </summary>
    public async Task RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Group.Interval, time);
        do
        {
            await PollOnceAsync(time, cancellationToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One poll: every planned read, then one message with the next sequence number.</summary>
    public async Task PollOnceAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        DateTimeOffset started = time.GetUtcNow();
        var tags = new TagValue[Group.Tags.Count];
        LastTransactions.Clear();
        foreach (PlannedRead read in _reads)
        {
            await ReadAsync(read, tags, time, cancellationToken).ConfigureAwait(false);
        }

        var report = new GroupReport(started, tags);
        FaultProbe?.Invoke(PathStage.Sequence);
        long sequence = _device.Sink.NextSequence(Stream);
        FaultProbe?.Invoke(PathStage.Formatting);
        byte[] payload = _json.Format(_device.Config, Group, report, sequence);
        try
        {
            FaultProbe?.Invoke(PathStage.Sink);
            await _device.Sink.PublishAsync(new TelemetryMessage(Topic, payload, Retain: false, Stream, sequence), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not (OperationCanceledException or UnrecoverableFaultException))
        {
            // The sink (the spool on disk) refused the message: the poll loop carries on, the loss is counted and alarmed,
            // and the number was not used (the next message carries it).
            Interlocked.Increment(ref _sinkFailures);
            Log.SinkFailed(_logger, _device.Config.Name, Group.Name, sequence, failure.Message);
            _device.RaiseAlarm($"{_device.Config.Name}/{Group.Name}: a message could not be stored and is lost: {failure.Message}");
            return;
        }

        Interlocked.Exchange(ref _lastSequence, sequence);
        Interlocked.Exchange(ref _lastStoredAt, time.GetUtcNow().UtcTicks);
        Interlocked.Exchange(ref _lastStoredTimestamp, time.GetTimestamp());
        Interlocked.Increment(ref report.IsGood ? ref _goodPolls : ref _badPolls);
        Volatile.Write(ref _lastQuality, report.IsGood ? 1 : 2);
    }

    /// <summary>When a poll last ran to its end with its message stored (the watchdog's health: progress and a spool that takes writes).</summary>
    public DateTimeOffset LastStoredAt => new(Interlocked.Read(ref _lastStoredAt), TimeSpan.Zero);

    /// <summary>
    /// The same moment on the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>), 0 before the first: what the
    /// watchdog measures progress with, since the wall clock jumps (NTP's first sync on a Pi, which has no real-time clock).
    /// </summary>
    public long LastStoredTimestamp => Interlocked.Read(ref _lastStoredTimestamp);

    /// <summary>
    /// The longest a healthy poll may take from one stored message to the next: the interval, every planned read
    /// failing through all its attempts at the request timeout, and a margin for a loaded machine.
    /// </summary>
    public TimeSpan ProgressDeadline =>
        Group.Interval + (_device.Config.RequestTimeout * ((_device.Config.Retries + 1) * Math.Max(_reads.Count, 1))) + TimeSpan.FromSeconds(10);

    private async Task ReadAsync(PlannedRead read, TagValue[] tags, TimeProvider time, CancellationToken cancellationToken)
    {
        string reason = FailureReasons.Missing;
        for (int attempt = 0; attempt <= _device.Config.Retries; attempt++)
        {
            FaultProbe?.Invoke(PathStage.Transport);
            TransactionResult result = await _device.TransactAsync(read.Request, _reply, cancellationToken).ConfigureAwait(false);
            LastTransactions.Add(result.TransactionId);
            if (!result.IsOk)
            {
                reason = FailureReasons.Of(result.Status);
                _device.Reasons.Add(reason);
                if (result.Status == TransactionStatus.BackingOff)
                {
                    break; // the device is down: no point in retrying within this poll
                }

                continue;
            }

            var request = new ParserRequest(result.TransactionId, read.Request.UnitId, (byte)read.Request.Function, read.Request.Address, read.Request.Quantity);
            FaultProbe?.Invoke(PathStage.Lifting);
            VoteResult vote = _triplet.Decode(request, _reply.AsSpan(0, result.ResponseLength));
            FaultProbe?.Invoke(PathStage.Voting);
            if (vote.Verdict == Verdict.Split)
            {
                reason = FailureReasons.VoteSplit;
                _device.Reasons.Add(reason);
                Log.VoteSplit(_logger, _device.Config.Name, Group.Name, _triplet.Statistics.Split);
                _device.RaiseAlarm($"{_device.Config.Name}/{Group.Name}: the parser instances disagreed (no two agree); the group is published BAD");
                continue;
            }

            if (vote.Verdict == Verdict.Majority && vote.Fault == FaultKind.None)
            {
                ReportDissent(vote.Dissenters, time);
            }

            if (Outcome.IsError(vote.Outcome, out DecodeError error, out uint detail))
            {
                reason = FailureReasons.Of(error, detail);
                _device.Reasons.Add(reason);
                continue;
            }

            Fill(read, vote.Outcome, tags);
            return;
        }

        foreach (int index in read.TagIndexes)
        {
            tags[index] = TagValue.Failed(reason);
        }
    }

    /// <summary>
    /// A lane that abstained or was outvoted on a frame no fault was injected into: with diverse lanes that is a bug in
    /// one engine or one parser (or a frame that exhausts one lane's limits), which the vote masked. Logged and alarmed,
    /// at most once a minute per group; every dissent is counted in the lane's statistics.
    /// </summary>
    private void ReportDissent(int dissenters, TimeProvider time)
    {
        if (_lastDissentAlarm is long last && time.GetElapsedTime(last) < DissentAlarmSpacing)
        {
            return;
        }

        _lastDissentAlarm = time.GetTimestamp();
        string lanes = string.Join(", ", _triplet.Lanes.Where((_, i) => (dissenters & (1 << i)) != 0).Select(lane => lane.Name));
        Log.LaneDissent(_logger, _device.Config.Name, Group.Name, lanes);
        _device.RaiseAlarm($"{_device.Config.Name}/{Group.Name}: lane {lanes} disagreed with the other two and was outvoted; the value published is the majority's");
    }

    /// <summary>Copies the readings of a voted outcome into the tags this read covers; a tag the outcome does not name stays "missing".</summary>
    private void Fill(PlannedRead read, ReadOnlySpan<byte> outcome, TagValue[] tags)
    {
        foreach (int index in read.TagIndexes)
        {
            tags[index] = TagValue.Failed(FailureReasons.Missing);
        }

        OutcomeReader readings = Outcome.Readings(outcome);
        while (readings.TryReadNext(out Reading reading))
        {
            int index = (int)reading.Tag;
            if (!read.TagIndexes.Contains(index))
            {
                continue; // a tag of another read of this group that happens to lie inside these registers
            }

            tags[index] = reading.Quality != Quality.Good
                ? TagValue.Failed(FailureReasons.Of(reading.Quality))
                : TagValue.Of(reading.Case, reading.Bits, reading.Case == ValueCase.Text ? Encoding.UTF8.GetString(reading.Text) : null);
        }

        foreach (int index in read.TagIndexes)
        {
            if (tags[index].Error == FailureReasons.Missing)
            {
                _device.Reasons.Add(FailureReasons.Missing);
            }
        }
    }
}
