using System.Text.Json;
using Appliance.Console.Channel;
using Appliance.Console.Rendering;

namespace Appliance.Console.Screens;

/// <summary>Each vendor driver: its task's state, polls, stops, bytes sent and its denied calls by call.</summary>
internal static class DriversScreen
{
    public static void Paint(Rows rows, ConsoleModel model)
    {
        var any = false;
        foreach (JsonProperty driver in model.Status.Properties("drivers"))
        {
            any = true;
            string state = "-";
            foreach (JsonElement task in model.Status.Items("tasks"))
            {
                if (task.Str("name") == "driver " + driver.Name)
                {
                    state = task.Str("state");
                }
            }

            long denied = driver.Value.Long("denied");
            rows.Rule("Driver " + driver.Name);
            rows.Line(
                ("state ", Style.Normal),
                (state, state == "running" ? Style.Good : Style.Bad),
                ($"  polls {driver.Value.Long("polls")} ({driver.Value.Long("good_polls")} good)  stopped {driver.Value.Long("faults")}  bytes sent {driver.Value.Long("bytes_sent")}", Style.Normal));
            rows.Line(("denied calls ", Style.Normal), (Format.Count(denied), denied > 0 ? Style.Warn : Style.Good));
            foreach (JsonProperty call in driver.Value.Properties("denied_by_call"))
            {
                rows.Line($"  {Format.Cell(call.Name, 30)} {Json.Text(call.Value)}", Style.Warn);
            }

            if (driver.Value.Str("last_error") is { Length: > 0 } error)
            {
                rows.Line("last error: " + error, Style.Bad);
            }
        }

        if (!any)
        {
            rows.Line("No drivers run ([[driver]] in the configuration).", Style.Dim);
        }
    }
}
