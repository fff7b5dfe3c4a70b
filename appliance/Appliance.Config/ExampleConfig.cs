using System.Text;

namespace Appliance.Config;

/// <summary>The complete, commented example configuration with every default (<c>ExampleConfig.toml</c>).</summary>
public static class ExampleConfig
{
    private static readonly Lazy<byte[]> Content = new(ReadResource);

    /// <summary>The example as UTF-8 bytes, exactly as shipped.</summary>
    public static ReadOnlySpan<byte> Utf8 => Content.Value;

    public static string Text => Encoding.UTF8.GetString(Content.Value);

    private static byte[] ReadResource()
    {
        using Stream stream = typeof(ExampleConfig).Assembly.GetManifestResourceStream("ExampleConfig.toml")
            ?? throw new InvalidOperationException("the example configuration is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
