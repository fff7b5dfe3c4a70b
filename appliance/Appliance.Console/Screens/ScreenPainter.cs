using System.Globalization;
using System.Text.Json;
using Appliance.Console.Channel;
using Appliance.Console.Rendering;

namespace Appliance.Console.Screens;

/// <summary>
/// Draws the whole console onto a canvas: the header (node, uptime, whether the daemon answers), the current screen,
/// the notice or prompt line and the key bar. Pure: the same model and controller always give the same canvas, which
/// is what the tests check and what the terminal view diffs.
/// </summary>
public static class ScreenPainter
{
    public static readonly string[] Titles = ["Overview", "Values", "Voter", "Policy", "Drivers", "Log"];

    public static void Paint(Canvas canvas, ConsoleModel model, ConsoleController controller)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(controller);
        canvas.Clear();
        Header(canvas, model, controller);
        var rows = new Rows(canvas, 1, canvas.Height - 2);
        if (!model.HasStatus)
        {
            rows.Skip(2);
            rows.Line("  The appliance daemon does not answer on its control socket", Style.Bad);
            rows.Line("  " + model.SocketPath, Style.Bad);
            rows.Line($"  {model.Problem ?? "connecting ..."}", Style.Dim);
            rows.Skip();
            rows.Line("  Retrying every 2 seconds. Is appliance run up (systemctl status appliance),", Style.Normal);
            rows.Line("  and is this user in the console group ([control] group)?", Style.Normal);
        }
        else
        {
            switch (controller.Screen)
            {
                case ScreenId.Overview:
                    OverviewScreen.Paint(rows, model);
                    break;
                case ScreenId.Values:
                    ValuesScreen.Paint(rows, model, controller);
                    break;
                case ScreenId.Voter:
                    VoterScreen.Paint(rows, model, controller);
                    break;
                case ScreenId.Policy:
                    PolicyScreen.Paint(rows, model, controller);
                    break;
                case ScreenId.Drivers:
                    DriversScreen.Paint(rows, model);
                    break;
                case ScreenId.Log:
                    LogScreen.Paint(rows, model, controller);
                    break;
            }
        }

        Notice(canvas, model, controller);
        Keys(canvas, controller);
    }

    /// <summary>The policy mode as a banner of three rows, in the mode's colour; Breach is spelled out loud.</summary>
    internal static void Banner(Rows rows, string mode)
    {
        Style style = ModeStyle(mode);
        Canvas canvas = rows.Canvas;
        string name = mode.Length == 0 ? "NO DRIVERS" : string.Join(' ', mode.ToUpperInvariant().ToCharArray());
        string big = mode == "breach" ? $"!!!  P O L I C Y :  {name}  !!!" : $"P O L I C Y :  {name}";
        string allows = Format.Allows(mode);
        for (int i = 0; i < 3 && !rows.Full; i++)
        {
            canvas.Fill(0, rows.Row, canvas.Width, style);
            string text = i == 1 ? big : i == 2 ? allows : "";
            canvas.Write(Math.Max(0, (canvas.Width - text.Length) / 2), rows.Row, text, style);
            rows.Skip();
        }
    }

    internal static Style ModeStyle(string mode) => mode switch
    {
        "data-diode" => Style.ModeDataDiode,
        "secure-channel" => Style.ModeSecureChannel,
        "lockdown" => Style.ModeLockdown,
        "breach" => Style.ModeBreach,
        _ => Style.Selected,
    };

    private static void Header(Canvas canvas, ConsoleModel model, ConsoleController controller)
    {
        canvas.Fill(0, 0, canvas.Width, Style.Title);
        string node = model.Status.Str("node");
        string left = $" APPLIANCE {node}  {Titles[(int)controller.Screen]}";
        canvas.Write(0, 0, left, Style.Title);
        // The clock not yet set by NTP (a Pi has no real-time clock): the time shown, and every message's ts, is a guess.
        bool unset = model.HasStatus && model.Status.Get("clock_synchronized").ValueKind == JsonValueKind.False;
        string right = model.Problem is not null ? "NOT CONNECTED "
            : model.HasStatus ? $"up {Format.Uptime(model.Answer.Long("uptime_s"))}  {Format.Clock(model.Status.Long("ts"))} UTC{(unset ? " (no NTP)" : "")} "
            : "connecting ";
        canvas.Write(Math.Max(left.Length + 1, canvas.Width - right.Length), 0, right, model.Problem is not null ? Style.Bad : unset ? Style.Warn : Style.Title);
    }

    private static void Notice(Canvas canvas, ConsoleModel model, ConsoleController controller)
    {
        int row = canvas.Height - 2;
        if (controller.Step == PolicyStep.Pin)
        {
            canvas.Fill(0, row, canvas.Width, Style.Selected);
            canvas.Write(0, row, $" Switch to {controller.PendingMode}: PIN {new string('*', controller.PinLength)}_   (Enter: go on, Esc: cancel)", Style.Selected);
        }
        else if (controller.Step == PolicyStep.Confirm)
        {
            canvas.Fill(0, row, canvas.Width, Style.Selected);
            canvas.Write(0, row, $" Switch the policy from {model.Mode} to {controller.PendingMode}? y: yes, n: no", Style.Selected);
        }
        else if (controller.Notice.Text.Length > 0)
        {
            canvas.Write(0, row, " " + controller.Notice.Text, controller.Notice.Style);
        }
        else if (model.Problem is not null && model.HasStatus)
        {
            canvas.Write(0, row, $" The daemon does not answer ({model.Problem}); the figures are old. Retrying.", Style.Bad);
        }
    }

    private static void Keys(Canvas canvas, ConsoleController controller)
    {
        int row = canvas.Height - 1;
        int x = 0;
        for (int i = 0; i < Titles.Length; i++)
        {
            x = canvas.Write(x, row, (i + 1).ToString(CultureInfo.InvariantCulture), Style.Key) + 1;
            x = canvas.Write(x, row, Titles[i] + " ", i == (int)controller.Screen ? Style.Selected : Style.Normal);
        }

        x = canvas.Write(x, row, "q", Style.Key) + 1;
        x = canvas.Write(x, row, "Quit ", Style.Normal);
        string extra = controller.Screen switch
        {
            ScreenId.Policy => "d s l b: switch",
            ScreenId.Voter => "f: faults n: lane",
            ScreenId.Values or ScreenId.Log => "Up Dn PgUp PgDn",
            ScreenId.Overview => "a: silence alarm",
            _ => "(or F1-F6)",
        };
        canvas.Write(x, row, extra, Style.Dim);
    }

    internal static string Text(JsonElement value) => Json.Text(value);
}
