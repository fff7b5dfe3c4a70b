namespace Appliance.Testing;

/// <summary>Edits a configuration's text for a test, and fails loudly when the text a test expects to replace is not there.</summary>
internal static class ConfigText
{
    /// <summary><paramref name="text"/> with every <paramref name="expected"/> replaced; throws when <paramref name="expected"/> does not occur.</summary>
    public static string ReplaceExactly(this string text, string expected, string replacement)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(expected);
        if (!text.Contains(expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the configuration no longer contains \"{expected}\"; update the test that edits it");
        }

        return text.Replace(expected, replacement, StringComparison.Ordinal);
    }
}
