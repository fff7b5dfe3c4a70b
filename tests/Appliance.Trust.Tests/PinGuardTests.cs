using Appliance.Testing;

namespace Appliance.Trust.Tests;

/// <summary>The console PIN: an Argon2id hash on disk, and an exponential lock-out after wrong PINs that survives restarts.</summary>
public sealed class PinGuardTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private readonly string _pinFile;
    private readonly string _state;

    public PinGuardTests()
    {
        _pinFile = _dir.File("console.pin", PinGuard.Hash("4711") + "\n");
        _state = Path.Combine(_dir.Path, "state", "pin-lockout.json");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheFileHoldsAHashNeverThePin()
    {
        string stored = File.ReadAllText(_pinFile);

        Assert.StartsWith("argon2id$m=65536,t=3,p=1$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", stored, StringComparison.Ordinal);
        Assert.NotEqual(PinGuard.Hash("4711"), PinGuard.Hash("4711")); // a new salt each time
    }

    [Fact]
    public void TheRightPinIsAcceptedAndWrongOnesLockOutLongerEachTime()
    {
        PinGuard guard = PinGuard.Open(_pinFile, _state, _time);
        Assert.True(guard.Check("4711").Accepted);

        Assert.Equal(new PinCheck(false, TimeSpan.Zero, 1), guard.Check("1111"));
        Assert.Equal(new PinCheck(false, TimeSpan.Zero, 2), guard.Check("2222"));
        Assert.Equal(new PinCheck(false, TimeSpan.FromSeconds(30), 3), guard.Check("3333"));  // the third: 30 s

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(new PinCheck(false, TimeSpan.FromSeconds(1), 3), guard.Check("4711")); // even the right one, during the lock-out

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new PinCheck(false, TimeSpan.FromMinutes(1), 4), guard.Check("5555")); // then 1 min
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new PinCheck(false, TimeSpan.FromMinutes(2), 5), guard.Check("6666")); // 2 min
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.True(guard.Check("4711").Accepted);
        Assert.Equal(new PinCheck(false, TimeSpan.Zero, 1), guard.Check("7777")); // the count starts over
    }

    [Fact]
    public void TheLockOutSurvivesARestartAndStopsAtAnHour()
    {
        PinGuard guard = PinGuard.Open(_pinFile, _state, _time);
        for (int i = 0; i < 3; i++)
        {
            guard.Check("0000");
        }

        PinGuard restarted = PinGuard.Open(_pinFile, _state, _time); // what a restart reads back
        Assert.Equal(new PinCheck(false, TimeSpan.FromSeconds(30), 3), restarted.Check("4711"));

        for (int i = 0; i < 12; i++)
        {
            _time.Advance(TimeSpan.FromHours(1));
            restarted.Check("0000");
        }

        Assert.Equal(PinGuard.LongestLockout, restarted.Check("0000").LockedFor);
    }

    [Fact]
    public void AFileWithoutAHashIsRefused()
    {
        string plain = _dir.File("plain.pin", "4711\n");

        Assert.Throws<IOException>(() => PinGuard.Open(plain, _state, _time));
    }
}
