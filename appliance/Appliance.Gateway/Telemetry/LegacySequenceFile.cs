using System.Globalization;

namespace Appliance.Gateway.Telemetry;

/// <summary>
/// Reads <c>telemetry.seq</c>, where versions before the spool kept numbers (lines <c>device TAB group TAB seq</c>), so
/// that its numbers can be imported into the spool once.
/// </summary>
public static class LegacySequenceFile
{
    /// <summary>The file's name, next to the spool's database.</summary>
    public const string FileName = "telemetry.seq";

    /// <summary>
    /// The last number of every <c>device/group</c> stream in the file at <paramref name="path"/>; reading stops at the first
    /// line that is not <c>device TAB group TAB seq</c>, and <paramref name="problem"/> names it.
    /// </summary>
    public static IReadOnlyDictionary<string, long> Read(string path, out string? problem)
    {
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        problem = null;
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            string[] fields = line.Split('\t');
            if (fields.Length != 3 || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
            {
                problem = $"{path}:{lineNumber}: not \"device<TAB>group<TAB>seq\"; the numbers of the groups from this line on were not imported and continue from the spool's";
                break;
            }

            last[StreamName.Of(fields[0], fields[1])] = seq;
        }

        return last;
    }
}
