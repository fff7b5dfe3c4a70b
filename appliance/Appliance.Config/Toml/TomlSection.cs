namespace Appliance.Config.Toml;

/// <summary>The table that key/value lines go to (the root, a <c>[table]</c> or the newest <c>[[element]]</c>) and its nesting level.</summary>
internal readonly record struct TomlSection(TomlTable Table, int Level);
