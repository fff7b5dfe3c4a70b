using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Image;

/// <summary>An image's partition table as <c>sfdisk --json</c> reads it from the file, without mounting anything.</summary>
internal sealed record PartitionTable(string Label, IReadOnlyList<PartitionTable.Partition> Partitions)
{
    private const long SectorSize = 512;

    /// <summary>One partition: its number, first byte, size in bytes, MBR type and whether it is marked bootable.</summary>
    public sealed record Partition(int Number, long Offset, long Size, string Type, bool Bootable);

    public static async Task<PartitionTable> ReadAsync(string image)
    {
        (int code, string json, string error) = await ChildProcess.RunAsync("sfdisk", "--json", image);
        Assert.True(code == 0, $"sfdisk --json {image}: {error}");
        JsonElement table = JsonDocument.Parse(json).RootElement.GetProperty("partitiontable");
        var partitions = new List<Partition>();
        foreach (JsonElement partition in table.GetProperty("partitions").EnumerateArray())
        {
            string node = partition.GetProperty("node").GetString()!;
            partitions.Add(new Partition(
                int.Parse(node[(image.Length)..], global::System.Globalization.CultureInfo.InvariantCulture),
                partition.GetProperty("start").GetInt64() * SectorSize,
                partition.GetProperty("size").GetInt64() * SectorSize,
                partition.GetProperty("type").GetString()!,
                partition.TryGetProperty("bootable", out JsonElement bootable) && bootable.GetBoolean()));
        }

        return new PartitionTable(table.GetProperty("label").GetString()!, partitions);
    }

    /// <summary>mtools' name of the FAT file system in partition <paramref name="number"/> of <paramref name="image"/>: IMAGE@@OFFSET.</summary>
    public string Fat(string image, int number) => image + "@@" + Partitions.Single(p => p.Number == number).Offset.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
}
