using System.Diagnostics;

namespace Appliance.Wasm.Tests;

/// <summary>Assembles WebAssembly text with wabt's wat2wasm (installed by scripts/setup), for test modules.</summary>
internal static class Wat
{
    public static byte[] Assemble(string text)
    {
        string directory = Path.Combine(Path.GetTempPath(), "wat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string source = Path.Combine(directory, "m.wat");
            string binary = Path.Combine(directory, "m.wasm");
            File.WriteAllText(source, text);
            using Process process = Process.Start(new ProcessStartInfo("wat2wasm", [source, "-o", binary]) { RedirectStandardError = true })!;
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"wat2wasm failed: {errors}");
            return File.ReadAllBytes(binary);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public static Instance Instantiate(string text, EngineConfig? config = null)
    {
        var engine = new Engine(config);
        Module module = Module.Compile(engine, Assemble(text));
        return new Linker().Instantiate(new Store(engine), module);
    }
}
