using System.Text;
using Appliance.Drivers.Audit;
using Appliance.Testing;

namespace Appliance.Drivers.Tests.Audit;

/// <summary>
/// The audit log is a hash chain of JSON lines: an edited, removed, added or reordered line is found by the verifier,
/// rotation keeps the chain verifiable across files, and a line torn by a power loss is cut off and recorded.
/// </summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string LogPath => Path.Combine(_dir.Path, "audit.log");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AnUntouchedLogVerifiesAndContinuesAfterReopening()
    {
        WriteEntries(5);
        WriteEntries(3); // reopened: the chain goes on

        AuditVerification verified = AuditVerifier.Verify([LogPath]);

        Assert.True(verified.Intact, string.Join('\n', verified.Problems));
        Assert.Equal((8L, 1L, 8L), (verified.Lines, verified.FirstSequence, verified.LastSequence));
        string first = File.ReadLines(LogPath).First();
        Assert.StartsWith("{\"seq\":1,\"ts\":\"", first, StringComparison.Ordinal);
        Assert.EndsWith($"\"event\":\"denied\",\"driver\":\"attacker\",\"call\":\"connect\",\"target\":\"10.0.0.66:443\",\"mode\":\"data-diode\",\"detail\":\"entry 0\",\"prev\":\"{AuditLog.Genesis}\"}}", first, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEditedLineIsFound()
    {
        WriteEntries(5);
        string[] lines = File.ReadAllLines(LogPath);
        lines[2] = lines[2].Replace("10.0.0.66:443", "10.0.0.50:502", StringComparison.Ordinal);
        File.WriteAllLines(LogPath, lines);

        AuditVerification verified = AuditVerifier.Verify([LogPath]);

        Assert.Equal([$"{LogPath}:4: prev does not match the hash of the line before: it was removed or edited"], verified.Problems);
    }

    [Fact]
    public void ARemovedLineIsFound()
    {
        WriteEntries(5);
        File.WriteAllLines(LogPath, File.ReadAllLines(LogPath).Where((_, i) => i != 1));

        AuditVerification verified = AuditVerifier.Verify([LogPath]);

        Assert.Contains($"{LogPath}:2: sequence 3 follows 1: lines are missing, added or reordered", verified.Problems);
        Assert.Contains($"{LogPath}:2: prev does not match the hash of the line before: it was removed or edited", verified.Problems);
    }

    [Fact]
    public void ARemovedFirstLineIsFound()
    {
        WriteEntries(3);
        File.WriteAllLines(LogPath, File.ReadAllLines(LogPath).Skip(1));
        string[] lines = File.ReadAllLines(LogPath);
        lines[0] = lines[0].Replace("\"seq\":2", "\"seq\":1", StringComparison.Ordinal); // and renumbered to hide it

        File.WriteAllLines(LogPath, lines);

        Assert.Contains($"{LogPath}:1: sequence 1 must follow the genesis hash", AuditVerifier.Verify([LogPath]).Problems);
    }

    [Fact]
    public void RotationKeepsTheChainVerifiableAcrossFiles()
    {
        using (AuditLog log = AuditLog.Open(LogPath, maxBytes: 4096, keep: 3))
        {
            for (int i = 0; i < 120; i++)
            {
                log.Write(Entry(i));
            }
        }

        string[] files = [LogPath + ".3", LogPath + ".2", LogPath + ".1", LogPath];
        Assert.All(files, file => Assert.True(File.Exists(file) && new FileInfo(file).Length <= 4096, file));
        Assert.False(File.Exists(LogPath + ".4"));

        AuditVerification verified = AuditVerifier.Verify(files);

        Assert.True(verified.Intact, string.Join('\n', verified.Problems));
        Assert.Equal(120, verified.LastSequence);
        Assert.True(verified.FirstSequence > 1, "the oldest lines were rotated away");

        // A rotated file removed from the middle breaks the chain.
        Assert.False(AuditVerifier.Verify([LogPath + ".3", LogPath + ".1", LogPath]).Intact);
    }

    [Fact]
    public void ALineTornByAPowerLossIsCutOffAndRecorded()
    {
        WriteEntries(3);
        File.AppendAllText(LogPath, "{\"seq\":4,\"ts\":\"2026-12-06T00:00:00.000Z\",\"event\":\"den");

        WriteEntries(1);

        AuditVerification verified = AuditVerifier.Verify([LogPath]);
        Assert.True(verified.Intact, string.Join('\n', verified.Problems));
        string[] lines = File.ReadAllLines(LogPath);
        Assert.Equal(5, lines.Length);
        Assert.Contains("\"event\":\"torn-tail-dropped\"", lines[3], StringComparison.Ordinal);
        Assert.Contains("\"seq\":4", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void ALineThatIsNotJsonIsReportedWithItsPlace()
    {
        WriteEntries(2);
        File.AppendAllText(LogPath, "hello\n", Encoding.UTF8);

        Assert.Contains($"{LogPath}:3: not an audit line (JSON with seq and prev)", AuditVerifier.Verify([LogPath]).Problems);
    }

    private void WriteEntries(int count)
    {
        using AuditLog log = AuditLog.Open(LogPath);
        for (int i = 0; i < count; i++)
        {
            log.Write(Entry(i));
        }
    }

    private static AuditEntry Entry(int i) => new("denied", "attacker", "connect", "10.0.0.66:443", "data-diode", $"entry {i}");
}
