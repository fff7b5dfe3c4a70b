using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;

namespace Appliance.Trust;

/// <summary>The outcome of a PIN check.</summary>
/// <param name="Accepted">The PIN was right and no lock-out was running.</param>
/// <param name="LockedFor">When refused because of a lock-out: how long it still runs.</param>
/// <param name="Failures">Wrong PINs in a row so far (0 after a right one).</param>
public readonly record struct PinCheck(bool Accepted, TimeSpan LockedFor, int Failures);

/// <summary>
/// The console PIN: stored only as an Argon2id hash (NSec, libsodium; 64 MiB, 3 passes, a random 16-byte salt) in a file
/// the configuration names (<c>argon2id$m=65536,t=3,p=1$SALT$HASH</c>, base64), never in the configuration. Wrong PINs
/// lock further tries out, exponentially: after the third wrong PIN in a row 30 s, then 1 min, 2 min, ... up to 1 h,
/// counted in a state file written atomically at every failure, so a restart does not reset it. A check during a
/// lock-out is refused without looking at the PIN.
/// </summary>
public sealed class PinGuard
{
    /// <summary>Wrong PINs allowed in a row before the first lock-out.</summary>
    public const int FreeTries = 3;

    public static readonly TimeSpan FirstLockout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LongestLockout = TimeSpan.FromHours(1);

    private const int MemoryKiB = 65_536;
    private const int Passes = 3;
    private static readonly Argon2id Argon = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters { DegreeOfParallelism = 1, MemorySize = MemoryKiB, NumberOfPasses = Passes });

    private readonly Lock _lock = new();
    private readonly byte[] _salt;
    private readonly byte[] _hash;
    private readonly string _statePath;
    private readonly TimeProvider _time;
    private int _failures;
    private DateTimeOffset _lockedUntil;

    private PinGuard(byte[] salt, byte[] hash, string statePath, TimeProvider time)
    {
        _salt = salt;
        _hash = hash;
        _statePath = statePath;
        _time = time;
        if (File.Exists(statePath))
        {
            using JsonDocument state = JsonDocument.Parse(File.ReadAllBytes(statePath));
            _failures = state.RootElement.GetProperty("failures").GetInt32();
            _lockedUntil = DateTimeOffset.FromUnixTimeMilliseconds(state.RootElement.GetProperty("locked_until").GetInt64());
        }
    }

    /// <summary>The hash line to store for <paramref name="pin"/> (what <c>appliance pin set</c> writes).</summary>
    public static string Hash(string pin)
    {
        ArgumentException.ThrowIfNullOrEmpty(pin);
        byte[] salt = RandomNumberGenerator.GetBytes(Argon.MaxSaltSize);
        byte[] hash = Argon.DeriveBytes(pin, salt, 32);
        return string.Create(CultureInfo.InvariantCulture, $"argon2id$m={MemoryKiB},t={Passes},p=1${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <exception cref="IOException">The PIN file does not hold a hash line, or the lock-out state is unreadable.</exception>
    public static PinGuard Open(string pinFile, string statePath, TimeProvider? time = null)
    {
        string[] parts = File.ReadAllText(pinFile, Encoding.ASCII).Trim().Split('$');
        if (parts.Length != 4 || parts[0] != "argon2id" || parts[1] != $"m={MemoryKiB},t={Passes},p=1")
        {
            throw new IOException($"{pinFile} does not hold a PIN hash (argon2id$m={MemoryKiB},t={Passes},p=1$SALT$HASH); write one with appliance pin set");
        }

        try
        {
            return new PinGuard(Convert.FromBase64String(parts[2]), Convert.FromBase64String(parts[3]), statePath, time ?? TimeProvider.System);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new IOException($"{pinFile} or {statePath} is damaged: {e.Message}", e);
        }
    }

    public PinCheck Check(string pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (now < _lockedUntil)
            {
                return new PinCheck(false, _lockedUntil - now, _failures);
            }

            byte[] derived = pin.Length is > 0 and <= 128 ? Argon.DeriveBytes(pin, _salt, _hash.Length) : new byte[_hash.Length];
            if (pin.Length is > 0 and <= 128 && CryptographicOperations.FixedTimeEquals(derived, _hash))
            {
                if (_failures != 0)
                {
                    _failures = 0;
                    _lockedUntil = default;
                    Save();
                }

                return new PinCheck(true, TimeSpan.Zero, 0);
            }

            _failures++;
            if (_failures >= FreeTries)
            {
                double seconds = Math.Min(FirstLockout.TotalSeconds * Math.Pow(2, _failures - FreeTries), LongestLockout.TotalSeconds);
                _lockedUntil = now + TimeSpan.FromSeconds(seconds);
            }

            Save();
            return new PinCheck(false, _lockedUntil > now ? _lockedUntil - now : TimeSpan.Zero, _failures);
        }
    }

    private void Save() => AtomicFile.Write(_statePath, file =>
    {
        using var json = new Utf8JsonWriter(file);
        json.WriteStartObject();
        json.WriteNumber("failures"u8, _failures);
        json.WriteNumber("locked_until"u8, _lockedUntil.ToUnixTimeMilliseconds());
        json.WriteEndObject();
    });
}
