using System.Text.Json;
using Appliance.Console.Channel;
using Appliance.Console.Rendering;
using Appliance.Console.Tui;
using Terminal.Gui.Views;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;

namespace Appliance.Console;

/// <summary>
/// <c>appliance console</c>: the full-screen console on the terminal it is started on (the HDMI VT, a serial line, a
/// modern terminal), a client of the daemon's control socket only. It asks for <c>status</c> and <c>values</c> every
/// second (and <c>log</c> on the Log screen); while the daemon does not answer it says so and tries again every
/// <see cref="RetryInterval"/>. Quitting or killing it is nothing to the daemon: one client less.
/// </summary>
public static class ConsoleApp
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);
    public const ushort IterationsPerSecond = 10;

    /// <summary>Runs the console until the operator quits (q). <paramref name="socketPath"/> is the daemon's control socket.</summary>
    public static int Run(string socketPath)
    {
        string? term = Environment.GetEnvironmentVariable("TERM");
        GlyphSet glyphs = GlyphSet.For(term, Environment.GetEnvironmentVariable("APPLIANCE_CONSOLE_ASCII") == "1");
        bool colour = Palette.HasColour(term);
        using var model = new ConsoleModel { SocketPath = socketPath };
        var controller = new ConsoleController();
        using var client = new ControlClient(socketPath);
        using var stop = new CancellationTokenSource();
        using var wake = new SemaphoreSlim(0, 1);

        // Terminal.Gui writes "hide the cursor, home" (12 bytes) on every main-loop iteration: 10 a second instead of its
        // default 25 keeps that to about 120 bytes/s on a serial line, and keys still answer within a tenth of a second.
        Application.MaximumIterationsPerSecond = IterationsPerSecond;

        // The palette is the 16 colours: sent as such (SGR 30-37, 90-97), which a Linux VT shows exactly and a VT220
        // ignores, never as Terminal.Gui's default 24-bit form, which minicom and older terminals print as garbage.
        Terminal.Gui.Drivers.Driver.Force16Colors = true;
        using IApplication app = Application.Create();
        app.Init();
        using var top = new Runnable { BorderStyle = Terminal.Gui.Drawing.LineStyle.None };
        using var view = new ConsoleView(model, controller, glyphs, colour);
        top.Add(view);
        if (app.Driver is { } driver)
        {
            driver.ClearedContents += (_, _) => view.Invalidate();
        }

        view.KeyPressed += key =>
        {
            string? request = controller.Key(key, model);
            if (controller.QuitRequested)
            {
                app.RequestStop();
                return;
            }

            if (request is not null)
            {
                _ = SendAsync(app, client, model, controller, view, request, wake, stop.Token);
            }

            Wake(wake);
            view.SetNeedsDraw();
        };

        Task refresh = RefreshAsync(app, client, model, controller, view, wake, stop.Token);
        app.Run(top);
        stop.Cancel();
        try
        {
            refresh.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // cancelled on the way out
        }

        return 0;
    }

    private static async Task RefreshAsync(IApplication app, ControlClient client, ConsoleModel model, ConsoleController controller, View view, SemaphoreSlim wake, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TimeSpan pause = RefreshInterval;
            try
            {
                var answers = new List<(string Op, JsonDocument Answer)>
                {
                    ("status", await client.AskAsync("{\"op\":\"status\"}", stop).ConfigureAwait(false)),
                    ("values", await client.AskAsync("{\"op\":\"values\"}", stop).ConfigureAwait(false)),
                };
                if (controller.Screen == ScreenId.Log)
                {
                    answers.Add(("log", await client.AskAsync("{\"op\":\"log\",\"lines\":200}", stop).ConfigureAwait(false)));
                }

                app.Invoke(() =>
                {
                    foreach ((string op, JsonDocument answer) in answers)
                    {
                        model.Accept(op, answer);
                    }

                    view.SetNeedsDraw();
                });
            }
            catch (IOException e)
            {
                string problem = e.Message;
                app.Invoke(() =>
                {
                    model.Fail(problem);
                    view.SetNeedsDraw();
                });
                pause = RetryInterval;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await wake.WaitAsync(pause, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task SendAsync(IApplication app, ControlClient client, ConsoleModel model, ConsoleController controller, View view, string request, SemaphoreSlim wake, CancellationToken stop)
    {
        try
        {
            using JsonDocument answer = await client.AskAsync(request, stop).ConfigureAwait(false);
            JsonElement root = answer.RootElement.Clone();
            app.Invoke(() =>
            {
                controller.Answered(request, root);
                view.SetNeedsDraw();
            });
        }
        catch (IOException e)
        {
            string problem = e.Message;
            app.Invoke(() =>
            {
                controller.Unanswered(request, problem);
                model.Fail(problem);
                view.SetNeedsDraw();
            });
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Wake(wake);
    }

    private static void Wake(SemaphoreSlim wake)
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already woken
        }
    }
}
