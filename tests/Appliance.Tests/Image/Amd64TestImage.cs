namespace Appliance.Tests.Image;

/// <summary>The amd64 image with the test layer (<c>image/build amd64 --test</c>), built once for the tests that boot it.</summary>
public sealed class Amd64TestImage : IAsyncLifetime
{
    internal ImageBuild Build { get; private set; } = null!;

    public async Task InitializeAsync() => Build = await ImageBuild.RunAsync("amd64", testLayer: true);

    public Task DisposeAsync()
    {
        Build.Dispose();
        return Task.CompletedTask;
    }
}
