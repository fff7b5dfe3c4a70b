using System.Text.Json;
using Appliance.Console.Channel;
using Appliance.Console.Rendering;

namespace Appliance.Console.Screens;

/// <summary>At a glance: the policy mode, every device and group with its last poll, the lanes, the uplink, the board, the alarms.</summary>
internal static class OverviewScreen
{
    public static void Paint(Rows rows, ConsoleModel model)
    {
        ScreenPainter.Banner(rows, model.Mode);
        rows.Rule("Devices");
        foreach (JsonProperty device in model.Status.Properties("devices"))
        {
            JsonElement transport = device.Value.Get("transport");
            long failures = device.Value.Properties("failures").Sum(reason => reason.Value.ValueKind == JsonValueKind.Number ? reason.Value.GetInt64() : 0);
            rows.Line(
                (Format.Cell(device.Name, 14), Style.Title),
                ($"ok {transport.Long("ok")}/{transport.Long("transactions")}  timeouts {transport.Long("timeouts")}  reconnects {transport.Long("reconnects")}  errors ", Style.Normal),
                (Format.Count(failures), failures > 0 ? Style.Warn : Style.Normal));
            foreach (JsonProperty group in device.Value.Properties("groups"))
            {
                JsonElement message = model.Message($"{device.Name}/{group.Name}");
                string quality = message.Str("quality");
                rows.Line(
                    ("  " + Format.Cell(group.Name, 12), Style.Normal),
                    ($"last poll {Format.Cell(Format.Age(model.Age(message)) + " ago", 9)}", Style.Normal),
                    (Format.Cell(quality.Length > 0 ? quality : "-", 5), quality == "good" ? Style.Good : Style.Bad),
                    ($" polls {group.Value.Long("good_polls")} good {group.Value.Long("bad_polls")} bad  seq {group.Value.Long("last_seq")}", Style.Normal));
            }
        }

        rows.Rule("Voter lanes");
        int number = 1;
        foreach (JsonElement lane in model.Answer.Get("lanes_total").Items("lanes"))
        {
            long bad = lane.Long("disagreements") + lane.Long("traps");
            rows.Line(
                ($"{number++} {Format.Cell(lane.Str("lane"), 26)}", Style.Normal),
                ($"frames {lane.Long("frames")} agreed {lane.Long("agreements")} ", Style.Normal),
                ($"outvoted {lane.Long("disagreements")} traps {lane.Long("traps")}", bad > 0 ? Style.Warn : Style.Normal),
                ($" resets {lane.Long("resets")}", Style.Normal));
        }

        rows.Rule("Uplink and board");
        JsonElement health = model.Answer.Get("health");
        if (health.ValueKind == JsonValueKind.Object)
        {
            string status = health.Str("status");
            rows.Line(
                ("MQTT ", Style.Normal),
                (status, status == "connected" ? Style.Good : Style.Bad),
                ($"  published {health.Long("published")}  spool {health.Long("queued")} queued  dropped {health.Long("dropped")}  reconnects {health.Long("reconnects")}", Style.Normal));
        }
        else
        {
            rows.Line("MQTT none: telemetry to standard output (run --console), no spool", Style.Dim);
        }

        BoardLine(rows, model);
        rows.Rule($"Alarms: {model.Status.Long("alarms")}{(model.Status.Bool("alarm_active") ? ", ACTIVE (a: silence)" : "")}");
        List<JsonElement> alarms = [.. model.Status.Items("recent_alarms")];
        for (int i = alarms.Count - 1; i >= 0 && !rows.Full; i--)
        {
            rows.Line($"{Format.Clock(alarms[i].Long("ts"))} {alarms[i].Str("text")}", Style.Warn);
        }

        if (alarms.Count == 0)
        {
            rows.Line("none", Style.Dim);
        }
    }

    private static void BoardLine(Rows rows, ConsoleModel model)
    {
        var parts = new List<string>();
        foreach (JsonElement stream in model.Values.Items("streams"))
        {
            if (stream.Str("stream").StartsWith("board/", StringComparison.Ordinal))
            {
                foreach (JsonProperty value in stream.Get("message").Properties("values"))
                {
                    parts.Add($"{value.Name} {Json.Text(value.Value)}");
                }

                foreach (JsonProperty error in stream.Get("message").Properties("errors"))
                {
                    parts.Add($"{error.Name} {Json.Text(error.Value)}");
                }
            }
        }

        foreach (JsonElement relay in model.Values.Items("relays"))
        {
            parts.Add($"relay {relay.Str("name")} {(relay.Bool("on") ? "ON" : "off")}");
        }

        rows.Line(parts.Count == 0 ? "Board: no sensors or relays configured" : "Board: " + string.Join("  ", parts), parts.Count == 0 ? Style.Dim : Style.Normal);
    }
}
