using System.Globalization;
using System.Text;

namespace Appliance.Gateway.Telemetry;

/// <summary>
/// The last <c>seq</c> of every device and group, kept across restarts so a consumer can detect any gap. The
/// file is rewritten through a temporary file and an atomic rename after every message: a crash of the process
/// leaves either the old or the new file, never a torn one. Lines: <c>device TAB group TAB seq</c>.
/// </summary>
public sealed class SequenceFile
{
    private readonly string _path;
    private readonly Dictionary<(string Device, string Group), long> _last = [];
    private readonly Lock _gate = new();

    private SequenceFile(string path)
    {
        _path = path;
    }

    /// <summary>Problem found while loading (the file was unreadable and numbering restarts), or null.</summary>
    public string? LoadProblem { get; private set; }

    /// <summary>Opens (or starts) the file at <paramref name="path"/>.</summary>
    public static SequenceFile Open(string path)
    {
        var file = new SequenceFile(path);
        if (File.Exists(path))
        {
            file.Load();
        }

        return file;
    }

    /// <summary>The next sequence number of a group (1 for its first message ever), made durable against a process crash before it is returned.</summary>
    public long Next(string device, string group)
    {
        lock (_gate)
        {
            long next = (_last.TryGetValue((device, group), out long last) ? last : 0) + 1;
            _last[(device, group)] = next;
            Save();
            return next;
        }
    }

    /// <summary>The last number given to a group, or 0.</summary>
    public long Last(string device, string group)
    {
        lock (_gate)
        {
            return _last.TryGetValue((device, group), out long last) ? last : 0;
        }
    }

    private void Load()
    {
        int lineNumber = 0;
        foreach (string line in File.ReadLines(_path))
        {
            lineNumber++;
            string[] fields = line.Split('\t');
            if (fields.Length != 3 || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
            {
                LoadProblem = $"{_path}:{lineNumber}: not \"device<TAB>group<TAB>seq\"; sequence numbers of the groups after it restart at 1";
                return;
            }

            _last[(fields[0], fields[1])] = seq;
        }
    }

    private void Save()
    {
        var text = new StringBuilder();
        foreach (((string device, string group), long seq) in _last)
        {
            text.Append(device).Append('\t').Append(group).Append('\t').Append(seq.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        string temporary = _path + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, _path, overwrite: true);
    }
}
