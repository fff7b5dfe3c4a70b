namespace Appliance.Config.Binding;

/// <summary>What every <see cref="SectionReader"/> of one file shares: where errors go and where relative paths start.</summary>
/// <param name="Finished">Called with each section once it is read completely; tests use it to list every setting.</param>
internal sealed record BindingContext(ConfigErrors Errors, string BaseDirectory, Action<SectionReader>? Finished = null);
