using System.Text.Json;
using Appliance.Console.Channel;
using Appliance.Console.Rendering;

namespace Appliance.Console.Screens;

/// <summary>The live values: the last stored message of every device and group (and the board, and each driver), tag by tag.</summary>
internal static class ValuesScreen
{
    public static void Paint(Rows rows, ConsoleModel model, ConsoleController controller)
    {
        var lines = new List<(string Text, Style Style)[]>();
        foreach (JsonElement stream in model.Values.Items("streams"))
        {
            JsonElement message = stream.Get("message");
            string quality = message.Str("quality");
            lines.Add([
                (Format.Cell(stream.Str("stream"), 30), Style.Title),
                (Format.Cell(quality.Length > 0 ? quality : "-", 5), quality is "good" or "" ? Style.Good : Style.Bad),
                ($"  seq {message.Long("seq")}  age {Format.Age(model.Age(message))}  at {Format.Clock(message.Long("ts"))}", Style.Normal),
            ]);
            foreach (JsonProperty value in message.Properties("values"))
            {
                lines.Add([("  " + Format.Cell(value.Name, 28), Style.Normal), (Format.Right(Json.Text(value.Value), 20), Style.Normal), ("  ok", Style.Good)]);
            }

            foreach (JsonProperty error in message.Properties("errors"))
            {
                lines.Add([("  " + Format.Cell(error.Name, 28), Style.Normal), (Format.Right("-", 20), Style.Dim), ("  " + Json.Text(error.Value), Style.Bad)]);
            }
        }

        if (lines.Count == 0)
        {
            rows.Line("No message stored yet: the first poll has not ended.", Style.Dim);
            return;
        }

        if (model.Values.Bool("truncated"))
        {
            lines.Add([("(more streams than one answer carries)", Style.Dim)]);
        }

        int skip = controller.ClampScroll(lines.Count, rows.Left);
        foreach ((string, Style)[] line in lines.Skip(skip))
        {
            rows.Line(line);
        }
    }
}
