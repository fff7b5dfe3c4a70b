using System.Text.Json;
using Appliance.Console.Channel;

namespace Appliance.Console;

/// <summary>
/// What the console knows of the daemon: the last answers to <c>status</c>, <c>values</c> and <c>log</c>, and whether the
/// daemon answers at all. The screens draw from it; nothing here talks to the socket.
/// </summary>
public sealed class ConsoleModel : IDisposable
{
    private JsonDocument? _status;
    private JsonDocument? _values;
    private JsonDocument? _log;

    /// <summary>The control socket, as the operator named it (shown while the daemon does not answer).</summary>
    public string SocketPath { get; init; } = "";

    /// <summary>Why the daemon does not answer; null while it does.</summary>
    public string? Problem { get; private set; }

    /// <summary>Whether at least one status answer has arrived since the console started.</summary>
    public bool HasStatus => _status is not null;

    /// <summary>The whole status answer: <c>status</c>, <c>lanes_total</c>, <c>health</c>, <c>fault_injection</c>, <c>uptime_s</c>.</summary>
    public JsonElement Answer => _status?.RootElement ?? default;

    /// <summary>The gateway's status message (devices, groups, voters, tasks, alarms, policy, drivers).</summary>
    public JsonElement Status => Answer.Get("status");

    /// <summary>The last <c>values</c> answer: <c>ts</c>, <c>streams</c>, <c>relays</c>.</summary>
    public JsonElement Values => _values?.RootElement ?? default;

    /// <summary>The last <c>log</c> answer: <c>log</c> and <c>audit</c>.</summary>
    public JsonElement Log => _log?.RootElement ?? default;

    /// <summary>The policy mode's name ("data-diode", …), or "" when the daemon has no drivers.</summary>
    public string Mode => Status.Get("policy").Str("mode");

    /// <summary>Takes an answer to <paramref name="op"/> over (the model disposes it). A refused answer is ignored.</summary>
    public void Accept(string op, JsonDocument answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!answer.RootElement.Bool("ok"))
        {
            answer.Dispose();
            return;
        }

        Problem = null;
        switch (op)
        {
            case "status":
                Swap(ref _status, answer);
                break;
            case "values":
                Swap(ref _values, answer);
                break;
            case "log":
                Swap(ref _log, answer);
                break;
            default:
                answer.Dispose();
                break;
        }
    }

    /// <summary>The daemon did not answer: the screens say so and keep the last answers, marked as old.</summary>
    public void Fail(string problem) => Problem = problem;

    /// <summary>The last stored message of a stream (<c>device/group</c>), or an undefined element.</summary>
    public JsonElement Message(string stream)
    {
        foreach (JsonElement item in Values.Items("streams"))
        {
            if (item.Str("stream") == stream)
            {
                return item.Get("message");
            }
        }

        return default;
    }

    /// <summary>How old a message is, from its <c>ts</c> to the time of the <c>values</c> answer that carried it.</summary>
    public TimeSpan? Age(JsonElement message)
    {
        long at = message.Long("ts");
        long now = Values.Long("ts");
        return at > 0 && now > 0 ? TimeSpan.FromMilliseconds(Math.Max(0, now - at)) : null;
    }

    public void Dispose()
    {
        _status?.Dispose();
        _values?.Dispose();
        _log?.Dispose();
    }

    private static void Swap(ref JsonDocument? slot, JsonDocument answer)
    {
        JsonDocument? old = slot;
        slot = answer;
        old?.Dispose();
    }
}
