using System.Text;
using Appliance.Config;

namespace Appliance.Gateway.Tests.Composition;

/// <summary>Configurations for the mapping tests: the shipped example, edited, bound as the gateway binds a file.</summary>
internal static class Configs
{
    /// <summary>The shipped example with each (old, new) text replaced; every old text must be in it.</summary>
    public static ApplianceConfig Example(params (string Old, string New)[] edits)
    {
        string text = ExampleConfig.Text;
        foreach ((string old, string replacement) in edits)
        {
            Assert.Contains(old, text, StringComparison.Ordinal);
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }

        return Parse(text);
    }

    /// <summary>A configuration file's text, which must be valid.</summary>
    public static ApplianceConfig Parse(string text)
    {
        ConfigLoadResult loaded = ConfigLoader.Parse(Encoding.UTF8.GetBytes(text), "test.toml", "/");
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        return loaded.Config;
    }
}
