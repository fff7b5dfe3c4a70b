using System.Diagnostics;
using Appliance.Drivers.Files;
using Appliance.Drivers.Hosting;
using Appliance.Drivers.Net;
using Appliance.Drivers.Policy;
using Appliance.Trust;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Bench;

/// <summary>
/// <c>appliance bench drivers</c>: what the driver sandbox's checks cost per call, measured on this machine: a denied
/// connect (the endpoint parsed and the policy asked), a denied and an allowed file read (openat2 beneath the root),
/// the verification of a signed module before decode (the demo driver, 4 KB, read from disk each time),
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

            // A typical module checked before decode: the signature over the manifest, the SHA-256 of the module's bytes.
            string keys = Path.Combine(directory, "keys");
            SigningKeys.Generate(keys);
            string file = Path.Combine(directory, "sensor-driver-demo.wasm");
            File.WriteAllBytes(file, demoDriver);
            SignedModule.Sign(file, Path.Combine(keys, SigningKeys.PrivateFile), new ModuleVersion(1, 0, 0, 0), "ics:gateway/sensor-driver@0.1.0");
            var verifier = new ModuleVerifier([SigningKeys.LoadPublic(Path.Combine(keys, SigningKeys.PublicFile))], versions: null);
            results.Add(("verify_module_ns", Time(rounds / 100, () => verifier.Verify(file, "ics:gateway/sensor-driver@0.1.0"))));

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
