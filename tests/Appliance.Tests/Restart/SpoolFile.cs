using System.Globalization;
using Appliance.Testing;

namespace Appliance.Tests.Restart;

/// <summary>The gateway's spool database read from outside with the sqlite3 command-line shell, as an operator would.</summary>
internal sealed class SpoolFile(string path)
{
    public string Path { get; } = path;

    /// <summary>Rows still queued (committed, not yet delivered).</summary>
    public long Queued() => long.Parse(Query("SELECT count(*) FROM message"), CultureInfo.InvariantCulture);

    /// <summary>The highest id SQLite ever gave a message (the bug of issue 9 needed it above every queued row).</summary>
    public long LastIdGiven() => long.Parse(Query("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'message'), 0)"), CultureInfo.InvariantCulture);

    /// <summary>The last committed seq of a <c>device/group</c> stream, or 0.</summary>
    public long LastSeq(string stream) =>
        long.Parse(Query($"SELECT coalesce((SELECT last FROM stream_sequence WHERE stream = '{stream}'), 0)"), CultureInfo.InvariantCulture);

    /// <summary>The seqs queued on <paramref name="topic"/>, in spool order.</summary>
    public List<long> QueuedSeqs(string topic)
    {
        string rows = Query($"SELECT json_extract(CAST(payload AS TEXT), '$.seq') FROM message WHERE topic = '{topic}' ORDER BY id");
        return [.. rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(row => long.Parse(row, CultureInfo.InvariantCulture))];
    }

    public string IntegrityCheck() => Query("PRAGMA integrity_check");

    private string Query(string sql)
    {
        (int code, string stdout, string stderr) = ChildProcess.RunAsync("/usr/bin/sqlite3", ["-batch", Path, sql]).GetAwaiter().GetResult();
        Assert.True(code == 0, $"sqlite3 {Path} \"{sql}\" failed: {stderr}");
        return stdout.Trim();
    }
}
