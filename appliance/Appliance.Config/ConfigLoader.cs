using Appliance.Config.Binding;
using Appliance.Config.Document;

namespace Appliance.Config;

/// <summary>Reads, parses and validates a configuration file. Never throws for anything the file contains.</summary>
public static class ConfigLoader
{
    /// <summary>Largest configuration file accepted, in bytes.</summary>
    public static int MaxFileBytes => DocumentReader.MaxInputBytes;

    /// <summary>Loads the file at <paramref name="path"/>; relative paths inside it are taken from its directory.</summary>
    public static ConfigLoadResult Load(string path)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.CanSeek && stream.Length > MaxFileBytes)
            {
                return TooLarge(path, stream.Length);
            }

            // Read one byte more than allowed, so that a file that grows or a device without a length is still caught.
            bytes = new byte[MaxFileBytes + 1];
            int total = 0;
            int read;
            while (total < bytes.Length && (read = stream.Read(bytes, total, bytes.Length - total)) > 0)
            {
                total += read;
            }

            if (total > MaxFileBytes)
            {
                return TooLarge(path, total);
            }

            Array.Resize(ref bytes, total);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            string why = error switch
            {
                FileNotFoundException or DirectoryNotFoundException => "the file does not exist",
                UnauthorizedAccessException => "permission denied",
                _ => error.Message,
            };
            return Failed(new ConfigDiagnostic(path, 0, 0, $"cannot read the configuration file: {why}"));
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        return Parse(bytes, path, directory);
    }

    /// <summary>Parses and validates configuration text; <paramref name="fileName"/> is only used in messages.</summary>
    public static ConfigLoadResult Parse(ReadOnlySpan<byte> utf8, string fileName, string baseDirectory)
    {
        if (!DocumentReader.TryRead(utf8, fileName, out DocumentTable? document, out IReadOnlyList<ConfigDiagnostic> problems))
        {
            return new ConfigLoadResult(null, [.. problems.OrderBy(problem => problem.Line).ThenBy(problem => problem.Column)]);
        }

        var errors = new ConfigErrors(fileName);
        ApplianceConfig config = ConfigBinder.Bind(document, errors, fileName, baseDirectory);
        return errors.Count == 0
            ? new ConfigLoadResult(config, [])
            : new ConfigLoadResult(null, errors.InFileOrder());
    }

    private static ConfigLoadResult TooLarge(string path, long length) =>
        Failed(new ConfigDiagnostic(path, 1, 1,
            $"the file is {(length > MaxFileBytes + 1 ? $"{length:N0} bytes" : "larger than the limit")}; a configuration file may be at most {MaxFileBytes:N0} bytes ({MaxFileBytes >> 20} MiB). Is this the right file?"));

    private static ConfigLoadResult Failed(ConfigDiagnostic diagnostic) => new(null, [diagnostic]);
}
