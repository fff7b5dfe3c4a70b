using System.Globalization;
using System.Device.I2c;
using Appliance.Board;
using Appliance.Board.Display;
using Appliance.Config;
using Appliance.Gateway.Board;

namespace Appliance.Cli;

/// <summary><c>appliance board probe --config FILE</c>: what <c>[board]</c> configures, what is found, and what each sensor reads now.</summary>
internal static class BoardVerbs
{
    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        const string Usage = "appliance board probe --config FILE";
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("a board command (probe)");
        if (command != "probe")
        {
            throw new UsageException($"unknown board command \"{command}\"; usage: {Usage}");
        }

        string file = arguments.Option("--config") ?? throw new UsageException($"probe needs --config FILE; usage: {Usage}");
        arguments.End();
        ConfigLoadResult loaded = ConfigLoader.Load(file);
        if (!loaded.IsValid)
        {
            await ConfigVerbs.WriteErrorsAsync(loaded, error).ConfigureAwait(false);
            return ExitCode.UsageOrConfig;
        }

        if (loaded.Config.Board is not { } board)
        {
            await output.WriteLineAsync($"{file}: no [board] section: no hardware is configured").ConfigureAwait(false);
            return ExitCode.Ok;
        }

        int failed = 0;
        foreach ((IBoardSensor sensor, _) in BoardPoller.SensorsOf(board))
        {
            await output.WriteLineAsync(sensor.Description).ConfigureAwait(false);
            foreach (BoardReading reading in sensor.Read())
            {
                failed += reading.Error is null ? 0 : 1;
                await output.WriteLineAsync(reading.Error is null
                    ? string.Create(CultureInfo.InvariantCulture, $"  {reading.Name} = {reading.Value} {reading.Unit}")
                    : $"  {reading.Name}: {reading.Error}").ConfigureAwait(false);
            }

            (sensor as IDisposable)?.Dispose();
        }

        if (board.Oled is { } oled)
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"SSD1306 128x{oled.Height} on /dev/i2c-{oled.Bus} at 0x{oled.Address:x2}");
            await output.WriteLineAsync(where).ConfigureAwait(false);
            using var display = new Ssd1306(() => I2cDevice.Create(new I2cConnectionSettings(oled.Bus, oled.Address)), oled.Height);
            Framebuffer frame = display.NewFrame();
            new DisplayPage("BOARD PROBE", ["appliance board probe", loaded.Config.Node.Id, DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)]).Render(frame);
            try
            {
                display.Show(frame);
                await output.WriteLineAsync("  answers: it shows the probe page").ConfigureAwait(false);
            }
            catch (IOException e)
            {
                failed++;
                await output.WriteLineAsync($"  {e.Message}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync(failed == 0 ? "every device answered" : $"{ConfigVerbs.Count(failed, "check")} failed").ConfigureAwait(false);
        return failed == 0 ? ExitCode.Ok : ExitCode.RuntimeFailure;
    }
}
