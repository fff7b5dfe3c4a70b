namespace Appliance.Cli;

/// <summary>The words after a verb: positional arguments and <c>--option value</c> pairs, consumed one by one.</summary>
internal sealed class Arguments(IReadOnlyList<string> words, string usage)
{
    private readonly List<string> _rest = [.. words];

    /// <summary>How the verb is written, for usage errors.</summary>
    public string Usage { get; } = usage;

    /// <summary>Takes the value of <c>--name VALUE</c> (or <c>--name=VALUE</c>); null when absent.</summary>
    public string? Option(string name)
    {
        for (int i = 0; i < _rest.Count; i++)
        {
            if (_rest[i] == name)
            {
                if (i + 1 >= _rest.Count)
                {
                    throw new UsageException($"{name} needs a value; usage: {Usage}");
                }

                string value = _rest[i + 1];
                _rest.RemoveRange(i, 2);
                return value;
            }

            if (_rest[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                string value = _rest[i][(name.Length + 1)..];
                _rest.RemoveAt(i);
                return value;
            }
        }

        return null;
    }

    /// <summary>Takes <c>--name</c> if present.</summary>
    public bool Flag(string name) => _rest.Remove(name);

    /// <summary>Takes the next positional argument; a usage error names <paramref name="what"/> when there is none.</summary>
    public string Positional(string what)
    {
        int at = _rest.FindIndex(word => !word.StartsWith("--", StringComparison.Ordinal) || word == "--");
        if (at < 0)
        {
            throw new UsageException($"missing {what}; usage: {Usage}");
        }

        string value = _rest[at];
        _rest.RemoveAt(at);
        return value;
    }

    /// <summary>Fails when anything was not consumed: an unknown option or a stray word.</summary>
    public void End()
    {
        if (_rest.Count > 0)
        {
            throw new UsageException($"unexpected \"{_rest[0]}\"; usage: {Usage}");
        }
    }
}
