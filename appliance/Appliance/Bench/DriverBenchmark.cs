using System.Diagnostics;
using Appliance.Drivers.Files;
using Appliance.Drivers.Hosting;
using Appliance.Drivers.Net;
using Appliance.Drivers.Policy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Bench;

/// <summary>
/// <c>appliance bench drivers</c>: what the driver sandbox's checks cost per call, measured on this machine: a denied
/// connect (the endpoint parsed and the policy asked), a denied and an allowed file read (openat2 beneath the root),
/// and a whole poll of the built-in demo driver in Wasmtime (the call, one read-file import lowered through its
/// allocator, the readings lifted). Audit writes are off: they cost a disk flush each and are rate-limited.
/// </summary>
internal static class DriverBenchmark
{
    public static IReadOnlyList<(string Name, double Nanoseconds)> Run(byte[] demoDriver, bool quick)
    {
        string directory = Directory.CreateTempSubdirectory("appliance-bench-drivers-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "pressure"), "4.25\n");
            int rounds = quick ? 200 : 200_000;
            var policy = new DriverPolicy(PolicyMode.DataDiode, [], breachAllowed: false, audit: null);
            using var capabilities = new DriverCapabilities("bench", SensorRoot.Open(directory), policy, NetLimits.Default, 65_536, audit: null, NullLogger.Instance, TimeProvider.System);
            var results = new List<(string, double)>
            {
                ("endpoint_parse_ns", Time(rounds, () => _ = Endpoint.TryParse("10.0.0.66:443", out _, out _))),
                ("connect_denied_ns", Time(rounds, () => capabilities.Connect("10.0.0.66:443", out _))),
                ("read_denied_ns", Time(rounds / 10, () => capabilities.ReadFile("../secret", 64, out _))),
                ("read_allowed_ns", Time(rounds / 10, () => capabilities.ReadFile("pressure", 64, out _))),
            };

            using DriverModule module = DriverModule.Compile("sensor-driver-demo", demoDriver, DriverLimits.Default);
            using DriverInstance driver = DriverInstance.Create(module, capabilities);
            results.Add(("demo_poll_ns", Time(rounds / 10, () => driver.Poll())));
            return results;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Median over 5 runs of the mean time per call, after a warm-up run.</summary>
    private static double Time(int calls, Action call)
    {
        double[] runs = new double[6];
        for (int run = 0; run < runs.Length; run++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                call();
            }

            runs[run] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
        }

        double[] timed = runs[1..];
        Array.Sort(timed);
        return timed[timed.Length / 2];
    }
}
