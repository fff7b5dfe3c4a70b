namespace Appliance.Mqtt.Packets;

/// <summary>Topic names and filters, MQTT 5.0 §4.7 (3.1.1 §4.7).</summary>
internal static class MqttTopic
{
    /// <summary>Why a topic name cannot be published to, or null when it can: no wildcards (§4.7.1, §3.3.2.1).</summary>
    public static string? ProblemWithName(string topic, bool allowEmpty)
    {
        if (topic.Length == 0 && !allowEmpty)
        {
            return "is empty; a topic name has at least one character (MQTT 5.0 §4.7.3)";
        }

        return topic.AsSpan().IndexOfAny('+', '#') >= 0
            ? $"\"{topic}\" contains a wildcard (+ or #), which a topic name must not (MQTT 5.0 §3.3.2.1)"
            : null;
    }

    /// <summary>Why a topic filter is invalid, or null when it is valid: '#' alone and last, '+' alone in its level (§4.7.1).</summary>
    public static string? ProblemWithFilter(string filter)
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

        return null;
    }

    public static void CheckName(string topic, string what, bool allowEmpty)
    {
        if (ProblemWithName(topic, allowEmpty) is { } problem)
        {
            MqttProtocolException.ThrowProtocolError($"{what} {problem}");
        }
    }

    public static void CheckFilter(string filter, string what)
    {
        if (ProblemWithFilter(filter) is { } problem)
        {
            MqttProtocolException.ThrowProtocolError($"{what} {problem}");
        }
    }
}
