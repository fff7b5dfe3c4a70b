using System.Diagnostics;
using System.Globalization;
using Appliance.Sandbox.Parsing;

namespace Appliance.Bench;

/// <summary>
/// Measures, with Node when it is on PATH, how long re-instantiating the parser guest takes in V8: the
/// alternative to our snapshot reset. The guest, its tag map (lowered exactly as the host lowers it) and a
/// short script go to a temporary directory; the script prints two medians in microseconds.
/// </summary>
internal static class NodeInstantiation
{
    private const string Script = """
        import { readFileSync } from 'node:fs';
        const [wasmPath, tagsPath, runsText] = process.argv.slice(2);
        const module = new WebAssembly.Module(readFileSync(wasmPath));
        const tags = readFileSync(tagsPath);
        const runs = Number(runsText);
        const configureName = 'ics:gateway/modbus-parser@0.1.0#configure';
        function fresh(configure) {
          const instance = new WebAssembly.Instance(module, {});
          if (configure) {
            const e = instance.exports;
            const ptr = e.cabi_realloc(0, 0, 8, tags.length);
            new Uint8Array(e.memory.buffer, ptr, tags.length).set(tags);
            const result = e[configureName](ptr, tags.length / 24);
            if (new Uint8Array(e.memory.buffer)[result] !== 0) throw new Error('configure refused the tag map');
          }
          return instance;
        }
        function median(configure) {
          for (let i = 0; i < Math.min(runs, 50); i++) fresh(configure);
          const times = [];
          for (let i = 0; i < runs; i++) {
            const t0 = process.hrtime.bigint();
            fresh(configure);
            times.push(Number(process.hrtime.bigint() - t0) / 1000);
          }
          times.sort((a, b) => a - b);
          return times[Math.floor(times.length / 2)];
        }
        console.log(`${process.version} ${median(false)} ${median(true)}`);
        """;

    public static NodeTiming? Measure(byte[] guest, IReadOnlyList<ParserTag> tags, int runs)
    {
        string directory = Directory.CreateTempSubdirectory("appliance-bench-").FullName;
        try
        {
            string wasm = Path.Combine(directory, "modbus-parser.wasm");
            string tagFile = Path.Combine(directory, "tags.bin");
            string script = Path.Combine(directory, "instantiate.mjs");
            File.WriteAllBytes(wasm, guest);
            File.WriteAllBytes(tagFile, ParserTag.LowerAll(tags));
            File.WriteAllText(script, Script);
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in new[] { script, wasm, tagFile, runs.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            using Process? node = Process.Start(start);
            if (node is null)
            {
                return null;
            }

            string output = node.StandardOutput.ReadToEnd();
            string error = node.StandardError.ReadToEnd();
            node.WaitForExit();
            if (node.ExitCode != 0)
            {
                throw new InvalidOperationException($"node failed: {error.Trim()}");
            }

            string[] fields = output.Trim().Split(' ');
            return new NodeTiming(
                fields[0],
                double.Parse(fields[1], CultureInfo.InvariantCulture),
                double.Parse(fields[2], CultureInfo.InvariantCulture));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // node is not installed
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
