namespace Appliance.Config.Binding;

/// <summary>
/// Topic templates: MQTT topic names with placeholders in braces, <c>appliance/{node}/{device}/{group}</c>.
/// The expanded topic must be a valid MQTT topic name (MQTT 3.1.1 §4.7): no wildcards, no NUL, at most 65,535 bytes.
/// </summary>
internal static class TopicTemplate
{
    public static void Check(SectionReader section, string key, string template, string[] allowed)
    {
        if (template.Length == 0)
        {
            section.Error(key, $"{section.Name(key)} must not be empty");
            return;
        }

        if (template.IndexOfAny(['+', '#', '\0']) >= 0)
        {
            section.Error(key, $"{section.Name(key)} \"{template}\" must not contain the wildcards '+' or '#' (or NUL): it names where messages are published");
            return;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(template) > 60_000)
        {
            section.Error(key, $"{section.Name(key)} is too long for an MQTT topic");
            return;
        }

        CheckPlaceholders(section, key, template, allowed);
    }

    public static void CheckPlaceholders(SectionReader section, string key, string template, string[] allowed)
    {
        int at = 0;
        while ((at = template.IndexOf('{', at)) >= 0)
        {
            int close = template.IndexOf('}', at);
            if (close < 0)
            {
                section.Error(key, $"{section.Name(key)} \"{template}\" has a '{{' without its '}}'");
                return;
            }

            string name = template[(at + 1)..close];
            if (!allowed.Contains(name))
            {
                section.Error(key, $"{section.Name(key)} has an unknown placeholder {{{name}}}; the placeholders here are {string.Join(", ", allowed.Select(item => $"{{{item}}}"))}");
            }

            at = close + 1;
        }
    }

    /// <summary>Expands {node}; other placeholders are left for the component that knows them.</summary>
    public static string Expand(string template, string nodeId) => template.Replace("{node}", nodeId, StringComparison.Ordinal);
}
