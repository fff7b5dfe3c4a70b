using System.Text.Json;
using Appliance.Console.Channel;
using Appliance.Console.Rendering;

namespace Appliance.Console.Screens;

/// <summary>The voter: every lane's frames, agreements, disagreements, traps and resets, per group; fault injection on one lane.</summary>
internal static class VoterScreen
{
    public static void Paint(Rows rows, ConsoleModel model, ConsoleController controller)
    {
        rows.Rule("Lanes, all groups");
        rows.Line("  lane                        frames   agreed outvoted    traps   resets", Style.Dim);
        int number = 1;
        foreach (JsonElement lane in model.Answer.Get("lanes_total").Items("lanes"))
        {
            bool chosen = model.Answer.Bool("fault_injection") && model.Answer.Long("fault_lane") == number;
            rows.Line(
                ($"{number++} {Format.Cell(lane.Str("lane"), 26)}", chosen ? Style.Warn : Style.Normal),
                (Counts(lane.Long("frames"), lane.Long("agreements")), Style.Normal),
                (Counts(lane.Long("disagreements"), lane.Long("traps")), lane.Long("disagreements") + lane.Long("traps") > 0 ? Style.Warn : Style.Normal),
                (Format.Right(Format.Count(lane.Long("resets")), 9), Style.Normal));
        }

        rows.Rule("Fault injection");
        bool switchable = model.Answer.Bool("fault_injection_switchable");
        bool on = model.Answer.Bool("fault_injection");
        long target = model.Answer.Long("fault_lane");
        rows.Line(
            ("Now ", Style.Normal),
            (on ? "ON" : "off", on ? Style.Warn : Style.Good),
            (on ? (target > 0 ? $", every fault on lane {target}" : ", a random lane per fault") : "", Style.Normal),
            (switchable ? "" : "   (not switchable: [control] allow_fault_injection and a [tmr.fault_injection] rate)", Style.Dim));
        rows.Line(
            ("f: switch it ", Style.Normal),
            (on ? "off" : "on", Style.Key),
            ("   n: lane for the next switch: ", Style.Normal),
            (controller.FaultLane == 0 ? "random" : Format.Count(controller.FaultLane), Style.Key));
        rows.Rule("Per group");
        foreach (JsonProperty device in model.Status.Properties("devices"))
        {
            foreach (JsonProperty group in device.Value.Properties("groups"))
            {
                JsonElement voter = group.Value.Get("voter");
                rows.Line(
                    (Format.Cell($"{device.Name}/{group.Name}", 22), Style.Title),
                    ($"votes {voter.Long("votes")} unanimous {voter.Long("unanimous")} majority {voter.Long("majority")} ", Style.Normal),
                    ($"split {voter.Long("split")}", voter.Long("split") > 0 ? Style.Bad : Style.Normal),
                    ($" faults {voter.Long("faults_injected")}", Style.Normal));
                rows.Line($"  reset last {voter.Double("last_reset_us"):0.0} us, worst {voter.Double("worst_reset_us"):0.0} us", Style.Dim);
                foreach (JsonElement instance in voter.Items("instances"))
                {
                    string fault = instance.Str("last_fault");
                    if (fault.Length > 0)
                    {
                        rows.Line($"  {instance.Str("lane")}: last fault {fault}", Style.Dim);
                    }
                }
            }
        }
    }

    private static string Counts(long first, long second) => Format.Right(Format.Count(first), 9) + Format.Right(Format.Count(second), 9);
}
