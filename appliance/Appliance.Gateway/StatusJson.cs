using System.Buffers;
using System.Text.Json;
using Appliance.Config;
using Appliance.Gateway.Polling;
using Appliance.Gateway.Supervision;
using Appliance.Modbus;
using Appliance.Sandbox.Voting;

namespace Appliance.Gateway;

/// <summary>
/// The retained status message: health of every device's transport, failure reasons with their counts, and the
/// voter statistics of every group's parser triplet (votes, unanimous, majority, split; per instance traps,
/// dissents, state divergences and resets; last and worst reset time). Its shape is in the README, "Status".
/// </summary>
internal sealed class StatusJson(NodeConfig node, IReadOnlyList<DevicePoller> devices, Alarms alarms, Func<IReadOnlyList<SupervisedTask>> tasks)
{
    /// <summary>Writes further properties at the end of the object (the drivers).</summary>
    public Action<Utf8JsonWriter>? Extra { get; set; }

    public byte[] Format(DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("ts"u8, now.ToUnixTimeMilliseconds());
            json.WriteString("node"u8, node.Id);
            json.WriteString("state"u8, "online"u8);
            json.WriteNumber("alarms"u8, alarms.Raised);
            json.WriteBoolean("alarm_active"u8, alarms.Active() is not null);
            json.WriteStartArray("recent_alarms"u8);
            foreach ((DateTimeOffset at, string text) in alarms.Recent())
            {
                json.WriteStartObject();
                json.WriteNumber("ts"u8, at.ToUnixTimeMilliseconds());
                json.WriteString("text"u8, text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("tasks"u8);
            foreach (SupervisedTask task in tasks())
            {
                json.WriteStartObject();
                json.WriteString("name"u8, task.Name);
                json.WriteString("state"u8, StateName(task.State));
                json.WriteNumber("restarts"u8, task.Restarts);
                json.WriteString("last_failure"u8, task.LastFailure);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("devices"u8);
            foreach (DevicePoller device in devices)
            {
                json.WritePropertyName(device.Config.Name);
                WriteDevice(json, device);
            }

            json.WriteEndObject();
            Extra?.Invoke(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteDevice(Utf8JsonWriter json, DevicePoller device)
    {
        TransportStatistics transport = device.Transport;
        json.WriteStartObject();
        json.WriteStartObject("transport"u8);
        json.WriteNumber("transactions"u8, transport.Transactions);
        json.WriteNumber("ok"u8, transport.Ok);
        json.WriteNumber("timeouts"u8, transport.Timeouts);
        json.WriteNumber("connects"u8, transport.Connects);
        json.WriteNumber("reconnects"u8, transport.Reconnects);
        json.WriteNumber("connect_failures"u8, transport.ConnectFailures);
        json.WriteNumber("backing_off"u8, transport.BackingOff);
        json.WriteNumber("stale_replies"u8, transport.StaleReplies);
        json.WriteNumber("framing_errors"u8, transport.FramingErrors);
        json.WriteNumber("connections_closed"u8, transport.ConnectionsClosed);
        json.WriteNumber("unsolicited_bytes"u8, transport.UnsolicitedBytes);
        json.WriteEndObject();
        json.WriteStartObject("failures"u8);
        foreach ((string reason, long count) in device.Reasons.Snapshot())
        {
            json.WriteNumber(reason, count);
        }

        json.WriteEndObject();
        json.WriteStartObject("groups"u8);
        foreach (GroupPoller group in device.Groups)
        {
            json.WritePropertyName(group.Group.Name);
            json.WriteStartObject();
            json.WriteNumber("good_polls"u8, group.GoodPolls);
            json.WriteNumber("bad_polls"u8, group.BadPolls);
            json.WriteNumber("sink_failures"u8, group.SinkFailures);
            json.WriteNumber("last_seq"u8, group.LastSequence);
            WriteVoter(json, group.VoterStatistics);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// <c>"lanes": [{"lane": "wasmtime:modbus-parser", "frames": .., "agreements": .., "disagreements": .., "traps": ..,
    /// "malformed": .., "resets": ..}, ..]</c>: each lane of the layout (by its place in the vote), summed over every
    /// group. Disagreements are the frames on which the lane completed and was outvoted.
    /// </summary>
    internal static void WriteLaneTotals(Utf8JsonWriter json, IEnumerable<GroupPoller> groups)
    {
        var lanes = new List<(string Lane, long[] Counts)>();
        foreach (GroupPoller group in groups)
        {
            IReadOnlyList<InstanceStatistics> instances = group.VoterStatistics.Instances;
            for (int i = 0; i < instances.Count; i++)
            {
                if (lanes.Count == i)
                {
                    lanes.Add((instances[i].Lane, new long[6]));
                }

                long[] counts = lanes[i].Counts;
                counts[0] += instances[i].Frames;
                counts[1] += instances[i].Agreements;
                counts[2] += instances[i].Dissents;
                counts[3] += instances[i].Traps;
                counts[4] += instances[i].Malformed;
                counts[5] += instances[i].Resets;
            }
        }

        json.WriteStartArray("lanes"u8);
        foreach ((string lane, long[] counts) in lanes)
        {
            json.WriteStartObject();
            json.WriteString("lane"u8, lane);
            json.WriteNumber("frames"u8, counts[0]);
            json.WriteNumber("agreements"u8, counts[1]);
            json.WriteNumber("disagreements"u8, counts[2]);
            json.WriteNumber("traps"u8, counts[3]);
            json.WriteNumber("malformed"u8, counts[4]);
            json.WriteNumber("resets"u8, counts[5]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string StateName(TaskState state) => state switch
    {
        TaskState.Running => "running",
        TaskState.BackingOff => "backing-off",
        TaskState.Stopped => "stopped",
        _ => "failed",
    };

    private static void WriteVoter(Utf8JsonWriter json, TripletStatistics voter)
    {
        json.WriteStartObject("voter"u8);
        json.WriteNumber("votes"u8, voter.Votes);
        json.WriteNumber("unanimous"u8, voter.Unanimous);
        json.WriteNumber("majority"u8, voter.Majority);
        json.WriteNumber("split"u8, voter.Split);
        json.WriteNumber("faults_injected"u8, voter.FaultsInjected);
        json.WriteNumber("last_reset_us"u8, Math.Round(voter.LastReset.TotalMicroseconds, 2));
        json.WriteNumber("worst_reset_us"u8, Math.Round(voter.WorstReset.TotalMicroseconds, 2));
        json.WriteStartArray("instances"u8);
        foreach (InstanceStatistics instance in voter.Instances)
        {
            json.WriteStartObject();
            json.WriteString("lane"u8, instance.Lane);
            json.WriteNumber("frames"u8, instance.Frames);
            json.WriteNumber("agreements"u8, instance.Agreements);
            json.WriteNumber("traps"u8, instance.Traps);
            json.WriteNumber("malformed"u8, instance.Malformed);
            json.WriteNumber("dissents"u8, instance.Dissents);
            json.WriteNumber("state_divergences"u8, instance.StateDivergences);
            json.WriteNumber("resets"u8, instance.Resets);
            json.WriteString("last_fault"u8, instance.LastFault);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
