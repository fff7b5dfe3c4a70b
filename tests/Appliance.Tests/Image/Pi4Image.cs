namespace Appliance.Tests.Image;

/// <summary>The Raspberry Pi 4 product image (<c>image/build pi4</c>), built once for the tests that read it.</summary>
public sealed class Pi4Image : IAsyncLifetime
{
    internal ImageBuild Build { get; private set; } = null!;

    public async Task InitializeAsync() => Build = await ImageBuild.RunAsync("pi4", testLayer: false);

    public Task DisposeAsync()
    {
        Build.Dispose();
        return Task.CompletedTask;
    }
}
