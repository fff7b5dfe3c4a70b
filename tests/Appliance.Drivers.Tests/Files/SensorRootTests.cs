using System.Text;
using Appliance.Drivers.Files;
using Appliance.Testing;

namespace Appliance.Drivers.Tests.Files;

/// <summary>
/// A driver reads only below its sensor root: every escape is refused by the kernel (openat2 with RESOLVE_BENEATH,
/// RESOLVE_NO_SYMLINKS, RESOLVE_NO_MAGICLINKS), on real files and links prepared here.
/// </summary>
public sealed class SensorRootTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SensorRoot _root;

    public SensorRootTests()
    {
        string root = Path.Combine(_dir.Path, "root");
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "pressure"), "4.25\n");
        File.WriteAllText(Path.Combine(root, "sub", "temperature"), "21.5\n");
        File.WriteAllBytes(Path.Combine(root, "big"), new byte[200_000]);
        File.WriteAllText(Path.Combine(_dir.Path, "secret"), "the vendor must not see this");
        File.CreateSymbolicLink(Path.Combine(root, "link-out"), Path.Combine(_dir.Path, "secret"));
        File.CreateSymbolicLink(Path.Combine(root, "link-in"), Path.Combine(root, "pressure"));
        File.CreateSymbolicLink(Path.Combine(root, "relative-out"), "../secret");
        Directory.CreateSymbolicLink(Path.Combine(root, "proc-self"), "/proc/self");
        Directory.CreateSymbolicLink(Path.Combine(root, "dir-out"), _dir.Path);
        _root = SensorRoot.Open(root);
    }

    public void Dispose()
    {
        _root.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("pressure", "4.25\n")]
    [InlineData("sub/temperature", "21.5\n")]
    [InlineData("./pressure", "4.25\n")]
    [InlineData("sub/../pressure", "4.25\n")] // stays below the root all the way
    public void FilesBelowTheRootAreRead(string path, string expected)
    {
        Assert.Null(_root.TryReadFile(path, 64, out byte[] content));
        Assert.Equal(expected, Encoding.UTF8.GetString(content));
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../secret")]
    [InlineData("link-out")]               // a symbolic link out of the root
    [InlineData("link-in")]                // and even one that stays inside: no links at all
    [InlineData("relative-out")]
    [InlineData("dir-out/secret")]
    [InlineData("/proc/self/environ")]
    [InlineData("proc-self/environ")]      // a link to /proc/self
    [InlineData("pressure\0../../secret")] // a NUL would end the C string early
    [InlineData("sub/./../../root/../secret")]
    public void EveryEscapeIsDenied(string path)
    {
        Assert.Equal(FsError.Denied, _root.TryReadFile(path, 64, out byte[] content));
        Assert.Empty(content);
    }

    [Fact]
    public void ATooLongPathIsDenied() =>
        Assert.Equal(FsError.Denied, _root.TryReadFile(string.Concat(Enumerable.Repeat("sub/../", 200)) + "pressure", 64, out _));

    [Fact]
    public void ReadsAreCapped()
    {
        Assert.Equal(FsError.TooLarge, _root.TryReadFile("big", 65_536, out byte[] content));
        Assert.Empty(content);
        Assert.Equal(FsError.TooLarge, _root.TryReadFile("pressure", 4, out _));
        Assert.Null(_root.TryReadFile("pressure", 5, out _));
    }

    [Fact]
    public async Task MissingFilesDirectoriesAndFifosAreReportedNotHung()
    {
        string fifo = Path.Combine(_root.Path, "fifo");
        Assert.Equal(0, (await ChildProcess.RunAsync("mkfifo", fifo)).ExitCode);

        Assert.Equal(FsError.NotFound, _root.TryReadFile("nothing", 64, out _));
        Assert.Equal(FsError.WrongKind, _root.TryReadFile("sub", 64, out _));
        Assert.Equal(FsError.WrongKind, _root.TryReadFile("fifo", 64, out _)); // opened non-blocking, never read
        Assert.Equal(FsError.NotFound, _root.TryReadFile("", 64, out _));
    }

    [Fact]
    public void DirectoriesAreListedBelowTheRootOnly()
    {
        Assert.Null(_root.TryListDirectory(".", out IReadOnlyList<string> names));
        Assert.Equal(["big", "dir-out", "link-in", "link-out", "pressure", "proc-self", "relative-out", "sub"], names);
        Assert.Null(_root.TryListDirectory("", out IReadOnlyList<string> same));
        Assert.Equal(names, same);
        Assert.Null(_root.TryListDirectory("sub", out IReadOnlyList<string> sub));
        Assert.Equal(["temperature"], sub);

        Assert.Equal(FsError.Denied, _root.TryListDirectory("..", out _));
        Assert.Equal(FsError.Denied, _root.TryListDirectory("/", out _));
        Assert.Equal(FsError.Denied, _root.TryListDirectory("dir-out", out _));
        Assert.Equal(FsError.Denied, _root.TryListDirectory("proc-self", out _));
        Assert.Equal(FsError.WrongKind, _root.TryListDirectory("pressure", out _));
    }

    [Fact]
    public void ARootThatIsMissingOrAFileIsRefused()
    {
        Assert.Throws<IOException>(() => SensorRoot.Open(Path.Combine(_dir.Path, "nothing")));
        Assert.Throws<IOException>(() => SensorRoot.Open(Path.Combine(_dir.Path, "secret")));
    }
}
