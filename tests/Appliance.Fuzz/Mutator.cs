namespace Appliance.Fuzz;

/// <summary>
/// Makes hostile inputs from valid ones: bit flips, interesting bytes, truncation, duplicated and deleted
/// chunks, and inflated LEB128 lengths. Deterministic for a seed, so every finding can be replayed.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x40, 0x60, 0x0B, 0xFE];

    private readonly Random _random = new(seed);

    public byte[] Mutate(ReadOnlySpan<byte> original)
    {
        var bytes = new List<byte>(original.ToArray());
        int rounds = 1 + _random.Next(4);
        for (int round = 0; round < rounds; round++)
        {
            if (bytes.Count == 0)
            {
                bytes.Add((byte)_random.Next(256));
                continue;
            }

            int at = _random.Next(bytes.Count);
            switch (_random.Next(7))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    bytes[at] = Interesting[_random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at); // truncate
                    break;
                case 3:
                    int length = Math.Min(bytes.Count - at, 1 + _random.Next(16));
                    bytes.InsertRange(at, bytes.GetRange(at, length)); // duplicate a chunk
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(8)));
                    break;
                case 5:
                    bytes.InsertRange(at, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]); // a huge LEB128 length
                    break;
                default:
                    bytes[at] = (byte)_random.Next(256);
                    break;
            }
        }

        return [.. bytes];
    }
}
