using System.Text;
using System.Text.Json;
using Appliance.Console.Channel;
using Appliance.Console.Rendering;

namespace Appliance.Console;

/// <summary>
/// The console's keyboard: which screen is shown, how far a list is scrolled, and the policy switch's steps (mode, PIN
/// not echoed, confirmation). A key may produce one request for the daemon (<see cref="Key"/> returns it); its answer
/// comes back through <see cref="Answered"/>, which sets the notice line. Keys 1 to 6 and F1 to F6 switch screens on
/// every terminal (a VT220 or a serial terminal may have no F1 to F5), q quits.
/// </summary>
public sealed class ConsoleController
{
    public const int MaxPinLength = 128;

    private readonly StringBuilder _pin = new();

    public ScreenId Screen { get; private set; } = ScreenId.Overview;

    /// <summary>How many lines the Values and Log screens are scrolled down.</summary>
    public int Scroll { get; private set; }

    public PolicyStep Step { get; private set; }

    /// <summary>The mode the operator asked for, while a switch is under way.</summary>
    public string PendingMode { get; private set; } = "";

    public int PinLength => _pin.Length;

    /// <summary>The fault lane the Voter screen asks for next (0: a random lane per fault).</summary>
    public int FaultLane { get; private set; }

    /// <summary>The last result to show (a refusal, a switch done), with its style.</summary>
    public (string Text, Style Style) Notice { get; private set; } = ("", Style.Normal);

    public bool QuitRequested { get; private set; }

    /// <summary>Handles one key; returns the request line to send to the daemon, if the key makes one.</summary>
    public string? Key(KeyPress key, ConsoleModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Step != PolicyStep.None)
        {
            return PolicyKey(key, model);
        }

        if (ScreenOf(key) is ScreenId screen)
        {
            if (screen != Screen)
            {
                Screen = screen;
                Scroll = 0;
                Notice = ("", Style.Normal);
            }

            return null;
        }

        if (Screen == ScreenId.Log)
        {
            // The log's newest line is at the bottom and Scroll counts lines back in time: Up goes back, Down forward.
            key = key.Name switch
            {
                KeyName.Up => new KeyPress(KeyName.Down),
                KeyName.Down => new KeyPress(KeyName.Up),
                KeyName.PageUp => new KeyPress(KeyName.PageDown),
                KeyName.PageDown => new KeyPress(KeyName.PageUp),
                KeyName.Home => new KeyPress(KeyName.End),
                KeyName.End => new KeyPress(KeyName.Home),
                _ => key,
            };
        }

        switch (key)
        {
            case { Name: KeyName.Char, Char: 'q' or 'Q' }:
                QuitRequested = true;
                return null;
            case { Name: KeyName.Down } or { Name: KeyName.Char, Char: 'j' }:
                Scroll++;
                return null;
            case { Name: KeyName.Up } or { Name: KeyName.Char, Char: 'k' }:
                Scroll = Math.Max(0, Scroll - 1);
                return null;
            case { Name: KeyName.PageDown } or { Name: KeyName.Char, Char: ' ' }:
                Scroll += 10;
                return null;
            case { Name: KeyName.PageUp }:
                Scroll = Math.Max(0, Scroll - 10);
                return null;
            case { Name: KeyName.Home }:
                Scroll = 0;
                return null;
            case { Name: KeyName.End }:
                Scroll = int.MaxValue / 2;
                return null;
        }

        return Screen switch
        {
            ScreenId.Overview when key is { Name: KeyName.Char, Char: 'a' or 'A' } => """{"op":"alarm-silence"}""",
            ScreenId.Policy => StartSwitch(key, model),
            ScreenId.Voter => FaultKey(key, model),
            _ => null,
        };
    }

    /// <summary>Keeps the scroll within what a list of <paramref name="lines"/> in <paramref name="rows"/> rows can show.</summary>
    public int ClampScroll(int lines, int rows)
    {
        Scroll = Math.Clamp(Scroll, 0, Math.Max(0, lines - rows));
        return Scroll;
    }

    /// <summary>The daemon's answer to a request this controller made.</summary>
    public void Answered(string request, JsonElement answer)
    {
        string op = OpOf(request);
        bool ok = answer.Bool("ok");
        string error = answer.Str("error");
        if (op == "policy-set")
        {
            Step = PolicyStep.None;
            Notice = ok
                ? ($"Policy switched to {answer.Str("mode")} (was {answer.Str("before")}).", Style.Good)
                : ($"Refused: {error}", Style.Bad);
        }
        else if (op == "alarm-silence")
        {
            Notice = ok
                ? (answer.Bool("was_active") ? "Alarms silenced: the beacon is off until the next alarm." : "No alarm was active; later ones will sound.", Style.Good)
                : ($"Refused: {error}", Style.Bad);
        }
        else if (op == "faults")
        {
            long lane = answer.Long("lane");
            Notice = ok
                ? ($"Fault injection {(answer.Bool("fault_injection") ? "on" : "off")}{(lane > 0 ? $", every fault on lane {lane}" : ", a random lane per fault")}.", Style.Warn)
                : ($"Refused: {error}", Style.Bad);
        }
    }

    /// <summary>The daemon did not answer a request this controller made.</summary>
    public void Unanswered(string request, string problem)
    {
        if (OpOf(request) == "policy-set")
        {
            Step = PolicyStep.None;
        }

        Notice = ($"No answer: {problem}", Style.Bad);
    }

    private static ScreenId? ScreenOf(KeyPress key) => key switch
    {
        { Name: KeyName.F1 } or { Name: KeyName.Char, Char: '1' } => ScreenId.Overview,
        { Name: KeyName.F2 } or { Name: KeyName.Char, Char: '2' } => ScreenId.Values,
        { Name: KeyName.F3 } or { Name: KeyName.Char, Char: '3' } => ScreenId.Voter,
        { Name: KeyName.F4 } or { Name: KeyName.Char, Char: '4' } => ScreenId.Policy,
        { Name: KeyName.F5 } or { Name: KeyName.Char, Char: '5' } => ScreenId.Drivers,
        { Name: KeyName.F6 } or { Name: KeyName.Char, Char: '6' } => ScreenId.Log,
        _ => null,
    };

    private string? StartSwitch(KeyPress key, ConsoleModel model)
    {
        string? mode = key is { Name: KeyName.Char } ? char.ToLowerInvariant(key.Char) switch
        {
            'd' => "data-diode",
            's' => "secure-channel",
            'l' => "lockdown",
            'b' => "breach",
            _ => null,
        } : null;
        if (mode is null)
        {
            return null;
        }

        if (model.Mode.Length == 0)
        {
            Notice = ("The daemon has no drivers, so there is no policy to switch.", Style.Warn);
            return null;
        }

        PendingMode = mode;
        _pin.Clear();
        Step = PolicyStep.Pin;
        Notice = ("", Style.Normal);
        return null;
    }

    private string? PolicyKey(KeyPress key, ConsoleModel model)
    {
        if (key.Name == KeyName.Escape || (Step == PolicyStep.Confirm && key is { Name: KeyName.Char, Char: 'n' or 'N' }))
        {
            Step = PolicyStep.None;
            _pin.Clear();
            Notice = ("Switch cancelled.", Style.Normal);
            return null;
        }

        switch (Step)
        {
            case PolicyStep.Pin when key.Name == KeyName.Enter:
                Step = _pin.Length > 0 ? PolicyStep.Confirm : PolicyStep.Pin;
                return null;
            case PolicyStep.Pin when key.Name == KeyName.Backspace:
                if (_pin.Length > 0)
                {
                    _pin.Length--;
                }

                return null;
            case PolicyStep.Pin when key is { Name: KeyName.Char } && key.Char is >= ' ' and <= '~' && _pin.Length < MaxPinLength:
                _pin.Append(key.Char);
                return null;
            case PolicyStep.Confirm when key is { Name: KeyName.Char, Char: 'y' or 'Y' }:
                Step = PolicyStep.Waiting;
                string request = PolicyRequest(PendingMode, _pin.ToString());
                _pin.Clear();
                Notice = ($"Switching from {model.Mode} to {PendingMode} ...", Style.Warn);
                return request;
            default:
                return null;
        }
    }

    private string? FaultKey(KeyPress key, ConsoleModel model)
    {
        if (key is { Name: KeyName.Char, Char: 'n' })
        {
            int lanes = Math.Max(1, model.Answer.Get("lanes_total").Items("lanes").Count());
            FaultLane = (FaultLane + 1) % (lanes + 1);
            return null;
        }

        if (key is { Name: KeyName.Char, Char: 'f' })
        {
            bool on = !model.Answer.Bool("fault_injection");
            return FaultsRequest(on, FaultLane);
        }

        return null;
    }

    private static string PolicyRequest(string mode, string pin)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("op"u8, "policy-set");
            json.WriteString("mode"u8, mode);
            json.WriteString("pin"u8, pin);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string FaultsRequest(bool on, int lane) =>
        $"{{\"op\":\"faults\",\"on\":{(on ? "true" : "false")},\"lane\":{Json.Int(lane)}}}";

    private static string OpOf(string request)
    {
        try
        {
            using JsonDocument parsed = JsonDocument.Parse(request);
            return parsed.RootElement.Str("op");
        }
        catch (JsonException)
        {
            return "";
        }
    }
}

/// <summary>Where a policy switch is: nothing under way, the PIN being typed, the confirmation, the daemon's answer awaited.</summary>
public enum PolicyStep
{
    None,
    Pin,
    Confirm,
    Waiting,
}
