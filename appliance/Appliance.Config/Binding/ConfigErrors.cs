using Appliance.Config.Document;

namespace Appliance.Config.Binding;

/// <summary>Collects the problems of one configuration file, so that one check reports all of them.</summary>
internal sealed class ConfigErrors(string file)
{
    private readonly List<ConfigDiagnostic> _items = [];

    public string File { get; } = file;

    public int Count => _items.Count;

    public void Add(TomlPosition position, string message) =>
        _items.Add(new ConfigDiagnostic(File, position.Line, position.Column, message));

    public IReadOnlyList<ConfigDiagnostic> InFileOrder() =>
        [.. _items.OrderBy(item => item.Line).ThenBy(item => item.Column)];
}
