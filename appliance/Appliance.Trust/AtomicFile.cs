namespace Appliance.Trust;

/// <summary>A small state file replaced whole: written to a temporary file, flushed to the disk, then renamed over the old one, so a power cut leaves the old content or the new, never half of either. (The
/// trust state uses it, and the executable for the configuration it imports.)</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            write(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
