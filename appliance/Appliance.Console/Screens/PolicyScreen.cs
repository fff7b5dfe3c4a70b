using Appliance.Console.Channel;
using Appliance.Console.Rendering;

namespace Appliance.Console.Screens;

/// <summary>The drivers' policy: the mode and what it allows, the four modes, the switch (PIN and confirmation), refusals.</summary>
internal static class PolicyScreen
{
    private static readonly (char Key, string Mode, string Files, string Allowlisted, string Other)[] Modes =
    [
        ('d', "data-diode", "allow", "block", "block"),
        ('s', "secure-channel", "allow", "allow", "block"),
        ('l', "lockdown", "block", "block", "block"),
        ('b', "breach", "allow", "allow", "ALLOW"),
    ];

    public static void Paint(Rows rows, ConsoleModel model, ConsoleController controller)
    {
        ScreenPainter.Banner(rows, model.Mode);
        rows.Skip();
        rows.Line("  key  mode              sensor files  allowlisted endpoints  any other endpoint", Style.Dim);
        foreach ((char key, string mode, string files, string allowlisted, string other) in Modes)
        {
            bool current = mode == model.Mode;
            rows.Line(
                ($"  {key}    ", Style.Key),
                (Format.Cell(mode, 18), current ? ScreenPainter.ModeStyle(mode) : Style.Normal),
                (Format.Cell(files, 14) + Format.Cell(allowlisted, 23) + other, current ? Style.Title : Style.Normal),
                (current ? "   < now" : "", Style.Title));
        }

        rows.Skip();
        JsonPolicy(rows, model);
        rows.Skip();
        rows.Line("To switch: press the mode's key, type the console PIN (not shown), Enter,", Style.Normal);
        rows.Line("then y to confirm. Every switch and every refusal goes to the audit log;", Style.Normal);
        rows.Line("three wrong PINs in a row lock the channel out for a while.", Style.Normal);
        if (controller.Step == PolicyStep.Waiting)
        {
            rows.Line("Waiting for the daemon ...", Style.Warn);
        }
    }

    private static void JsonPolicy(Rows rows, ConsoleModel model)
    {
        var policy = model.Status.Get("policy");
        if (model.Mode.Length == 0)
        {
            rows.Line("The daemon runs no drivers: there is no policy to switch.", Style.Dim);
            return;
        }

        rows.Line(policy.Bool("breach_allowed") ? "Breach may be chosen ([drivers] allow_breach = true)." : "Breach is not allowed by the configuration ([drivers] allow_breach).", Style.Normal);
        if (policy.Str("warning") is { Length: > 0 } warning)
        {
            rows.Line(warning, Style.ModeBreach);
        }
    }
}
