using System.Diagnostics;

namespace Appliance.Sandbox.Voting;

/// <summary>Voter statistics of one triplet: votes and their verdicts, and per instance traps and resets with reset times.</summary>
public sealed class TripletStatistics
{
    internal TripletStatistics(IEnumerable<string> lanes)
    {
        Instances = [.. lanes.Select(lane => new InstanceStatistics(lane))];
    }

    public long Votes { get; internal set; }

    public long Unanimous { get; internal set; }

    public long Majority { get; internal set; }

    public long Split { get; internal set; }

    public IReadOnlyList<InstanceStatistics> Instances { get; }

    /// <summary>Duration of the last reset of any instance.</summary>
    public TimeSpan LastReset { get; private set; }

    /// <summary>Longest reset so far.</summary>
    public TimeSpan WorstReset { get; private set; }

    /// <summary>Faults injected on purpose (bit flips, forced traps).</summary>
    public long FaultsInjected { get; internal set; }

    internal void RecordReset(long startTimestamp, long endTimestamp)
    {
        TimeSpan took = Stopwatch.GetElapsedTime(startTimestamp, endTimestamp);
        LastReset = took;
        if (took > WorstReset)
        {
            WorstReset = took;
        }
    }

    internal void Record(Verdict verdict)
    {
        Votes++;
        switch (verdict)
        {
            case Verdict.Unanimous:
                Unanimous++;
                break;
            case Verdict.Majority:
                Majority++;
                break;
            default:
                Split++;
                break;
        }
    }
}
