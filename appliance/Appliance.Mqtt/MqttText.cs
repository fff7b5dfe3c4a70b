using System.Text;

namespace Appliance.Mqtt;

/// <summary>Topic names, topic filters (MQTT 5.0 §4.7) and UTF-8 strings (§1.5.4), checked before anything is queued.</summary>
internal static class MqttText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Why a topic name cannot be published to, or null when it can: not empty, no wildcards (§4.7.3, §3.3.2.1).</summary>
    public static string? ProblemWithTopicName(string topic)
    {
        if (topic.Length == 0)
        {
            return "is empty; a topic name has at least one character (MQTT 5.0 §4.7.3)";
        }

        return topic.AsSpan().IndexOfAny('+', '#') >= 0
            ? $"\"{topic}\" contains a wildcard (+ or #), which a topic name must not (MQTT 5.0 §3.3.2.1)"
            : ProblemWithString(topic);
    }

    /// <summary>Why a topic filter is invalid, or null when it is valid: '#' alone and last, '+' alone in its level (§4.7.1).</summary>
    public static string? ProblemWithTopicFilter(string filter)
    {
        if (filter.Length == 0)
        {
            return "is empty; a topic filter has at least one character (MQTT 5.0 §4.7.3)";
        }

        int levelStart = 0;
        for (int i = 0; i <= filter.Length; i++)
        {
            if (i < filter.Length && filter[i] != '/')
            {
                continue;
            }

            ReadOnlySpan<char> level = filter.AsSpan(levelStart, i - levelStart);
            if (level.Contains('#') && (level.Length != 1 || i != filter.Length))
            {
                return $"\"{filter}\" has '#' that is not the whole last level (MQTT 5.0 §4.7.1.2)";
            }

            if (level.Contains('+') && level.Length != 1)
            {
                return $"\"{filter}\" has '+' that is not a whole level (MQTT 5.0 §4.7.1.3)";
            }

            levelStart = i + 1;
        }

        return ProblemWithString(filter);
    }

    /// <summary>Why a string cannot be sent as an MQTT UTF-8 string, or null: no U+0000, no lone surrogate, at most 65,535 bytes (§1.5.4).</summary>
    public static string? ProblemWithString(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return "contains U+0000, which MQTT does not allow in a string (MQTT 5.0 §1.5.4)";
        }

        int bytes;
        try
        {
            bytes = Strict.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            return "contains a lone surrogate, which is not UTF-8 (MQTT 5.0 §1.5.4)";
        }

        return bytes > ushort.MaxValue ? $"is {bytes} bytes of UTF-8; an MQTT string is at most 65535 (MQTT 5.0 §1.5.4)" : null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="what"/> when <paramref name="text"/> cannot be sent.</summary>
    public static void Check(string text, string what, string parameter)
    {
        if (ProblemWithString(text) is { } problem)
        {
            throw new ArgumentException($"{what} {problem}", parameter);
        }
    }
}
