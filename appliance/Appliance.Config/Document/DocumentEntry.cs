namespace Appliance.Config.Document;

/// <summary>One key of a table, where it was written, and its value.</summary>
internal readonly record struct DocumentEntry(string Key, TomlPosition KeyPosition, DocumentValue Value);
