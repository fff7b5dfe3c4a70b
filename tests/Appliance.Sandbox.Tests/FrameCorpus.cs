namespace Appliance.Sandbox.Tests;

/// <summary>
/// Valid responses and damaged ones (every header field lied about, truncations, odd byte counts, flipped and
/// random bytes), deterministic for a seed: the inputs the triplet and the cross-runtime comparison run on.
/// </summary>
internal static class FrameCorpus
{
    public static List<byte[]> Build(Sandbox.Parsing.ParserRequest request, int seed, int count)
    {
        var random = new Random(seed);
        var frames = new List<byte[]>(count);
        while (frames.Count < count)
        {
            ushort[] registers = [.. Enumerable.Range(0, request.Quantity).Select(_ => (ushort)random.Next(65536))];
            byte[] valid = Frames.Response(request, registers);
            byte[] frame = random.Next(8) switch
            {
                0 or 1 or 2 => valid,
                3 => Frames.With(valid, random.Next(valid.Length), (byte)random.Next(256)),
                4 => valid[..random.Next(valid.Length)],
                5 => Frames.Exception(request, (byte)random.Next(16)),
                6 => [.. valid, .. Enumerable.Range(0, random.Next(1, 4)).Select(_ => (byte)random.Next(256))],
                _ => [.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => (byte)random.Next(256))],
            };
            frames.Add(frame);
        }

        return frames;
    }
}
