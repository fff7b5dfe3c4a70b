using System.Globalization;
using System.Text;
using Appliance.Config;
using Appliance.Trust;

namespace Appliance.Daemon;

/// <summary>
/// Headless configuration: at boot, <c>appliance config import FROM TO</c> takes the file a technician edited on the
/// SD card's boot partition (FROM) and, if it is valid, makes it the active configuration on the data partition (TO),
/// replaced whole (a power cut leaves the old or the new). It is checked as if it were at TO, so that relative paths
/// mean what they will mean there. A file with mistakes changes nothing: its errors, <c>FILE:LINE:COL</c> each, are
/// written beside it (<c>FROM.errors</c>, readable from any laptop) and beside the active one (<c>TO.refused</c>, which
/// the running appliance shows on its status, console and display) until a good file is imported.
/// </summary>
internal static class ConfigImport
{
    public enum Outcome
    {
        /// <summary>There is no file to import.</summary>
        Missing,

        /// <summary>The file is the active configuration already.</summary>
        Unchanged,

        /// <summary>The file is now the active configuration.</summary>
        Imported,

        /// <summary>The file has mistakes; the active configuration stays.</summary>
        Refused,
    }

    /// <summary>The marker beside the active configuration <paramref name="active"/> while a refused file waits.</summary>
    public static string RefusedMarker(string active) => active + ".refused";

    public static (Outcome Outcome, IReadOnlyList<string> Errors) Run(string from, string to, DateTimeOffset now)
    {
        if (!File.Exists(from))
        {
            return (Outcome.Missing, []);
        }

        byte[] candidate = File.ReadAllBytes(from);
        ConfigLoadResult checkedAtTarget = ConfigLoader.Parse(candidate, from, Path.GetDirectoryName(Path.GetFullPath(to)) ?? "/");
        var errors = new List<string>();
        if (!checkedAtTarget.IsValid)
        {
            errors.AddRange(checkedAtTarget.Errors.Select(e => e.Line > 0 ? e.ToString() : $"{e.File}: {e.Message}"));
        }
        else
        {
            errors.AddRange(checkedAtTarget.Config.DriverErrors.Select(e => e.ToString()));
        }

        if (errors.Count > 0)
        {
            string text = string.Create(CultureInfo.InvariantCulture, $"""
                # {Path.GetFileName(from)} was refused at {now:yyyy-MM-dd HH:mm:ss} UTC: the appliance keeps running its last good
                # configuration. Fix what is listed below and put the file back; this file goes away when a good one is imported.

                """) + string.Join('\n', errors) + "\n";
            Write(from + ".errors", text);
            Write(RefusedMarker(to), text);
            return (Outcome.Refused, errors);
        }

        bool same = File.Exists(to) && File.ReadAllBytes(to).AsSpan().SequenceEqual(candidate);
        if (!same)
        {
            AtomicFile.Write(to, file => file.Write(candidate));
        }

        File.Delete(from + ".errors");
        File.Delete(RefusedMarker(to));
        return (same ? Outcome.Unchanged : Outcome.Imported, []);
    }

    private static void Write(string path, string text) => AtomicFile.Write(path, file => file.Write(Encoding.UTF8.GetBytes(text)));
}
