using System.Globalization;
using System.Text.Json;

namespace Appliance.Drivers.Audit;

/// <summary>What <see cref="AuditVerifier.Verify"/> found.</summary>
/// <param name="Lines">Lines checked.</param>
/// <param name="FirstSequence">The first line's sequence number (0 when there were none).</param>
/// <param name="LastSequence">The last line's.</param>
/// <param name="Problems">Each break of the chain, as "FILE:LINE: what".</param>
public sealed record AuditVerification(long Lines, long FirstSequence, long LastSequence, IReadOnlyList<string> Problems)
{
    public bool Intact => Problems.Count == 0;
}

/// <summary>
/// Checks audit log files (<see cref="AuditLog"/>), oldest first (FILE.2, FILE.1, FILE): every line is JSON with a
/// sequence number one more than the line before and the SHA-256 of the line before as <c>prev</c>. A removed, added,
/// reordered or edited line breaks it. The first line checked may start anywhere (its predecessor may have been rotated
/// away), except that sequence 1 must have the genesis <c>prev</c>.
/// </summary>
public static class AuditVerifier
{
    public static AuditVerification Verify(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var problems = new List<string>();
        string? previousHash = null;
        long previousSequence = 0;
        long lines = 0;
        long first = 0;
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            if (bytes.Length > 0 && bytes[^1] != '\n')
            {
                problems.Add($"{file}: the last line has no newline (cut off)");
            }

            int start = 0;
            int number = 0;
            while (start < bytes.Length)
            {
                int newline = Array.IndexOf(bytes, (byte)'\n', start);
                int end = newline < 0 ? bytes.Length : newline;
                ReadOnlySpan<byte> line = bytes.AsSpan(start, end - start);
                number++;
                start = end + 1;
                lines++;
                if (!TryRead(line, out long sequence, out string? prev))
                {
                    problems.Add($"{file}:{number}: not an audit line (JSON with seq and prev)");
                    previousHash = AuditLog.Hash(line);
                    previousSequence = -1;
                    continue;
                }

                if (first == 0)
                {
                    first = sequence;
                }

                if (previousHash is null)
                {
                    if (sequence == 1 && prev != AuditLog.Genesis)
                    {
                        problems.Add($"{file}:{number}: sequence 1 must follow the genesis hash");
                    }
                }
                else
                {
                    if (previousSequence >= 0 && sequence != previousSequence + 1)
                    {
                        problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{number}: sequence {sequence} follows {previousSequence}: lines are missing, added or reordered"));
                    }

                    if (prev != previousHash)
                    {
                        problems.Add($"{file}:{number}: prev does not match the hash of the line before: it was removed or edited");
                    }
                }

                previousHash = AuditLog.Hash(line);
                previousSequence = sequence;
            }
        }

        return new AuditVerification(lines, first, Math.Max(previousSequence, 0), problems);
    }

    private static bool TryRead(ReadOnlySpan<byte> line, out long sequence, out string? prev)
    {
        sequence = 0;
        prev = null;
        try
        {
            using JsonDocument parsed = JsonDocument.Parse(line.ToArray());
            JsonElement root = parsed.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("seq", out JsonElement seq) && seq.TryGetInt64(out sequence)
                && root.TryGetProperty("prev", out JsonElement p) && p.ValueKind == JsonValueKind.String)
            {
                prev = p.GetString();
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
