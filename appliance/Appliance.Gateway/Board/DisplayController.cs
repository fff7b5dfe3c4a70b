using Appliance.Board.Display;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Board;

/// <summary>
/// Keeps the OLED current: twice a second it draws the page due (the alarm page while there is one, else the rotation,
/// each page for <c>[board.oled] rotate</c>) and sends what changed. A display that fails (unplugged, no acknowledge) is
/// logged once, retried with a backoff doubling from one second to a minute, and logged again when it answers; it
/// never stops the gateway. At a clean stop it shows that the appliance stopped. The rotation and the retries run on the
/// monotonic clock; the wall clock (which jumps when NTP first sets a Pi's) is only what the pages show.
/// </summary>
public sealed class DisplayController(Ssd1306 display, StatusPages pages, TimeSpan rotate, ILogger logger)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(1);

    private readonly Framebuffer _frame = display.NewFrame();
    private TimeSpan _backoff;
    private TimeSpan _nextTry;
    private bool _failing;

    public Ssd1306 Display => display;

    /// <summary>The title of the page shown last (for tests and diagnostics).</summary>
    public string? Showing { get; private set; }

    public async Task RunAsync(TimeProvider time, CancellationToken stop)
    {
        long started = time.GetTimestamp();
        try
        {
            while (true)
            {
                TimeSpan elapsed = time.GetElapsedTime(started);
                if (elapsed >= _nextTry)
                {
                    DateTimeOffset now = time.GetUtcNow();
                    IReadOnlyList<DisplayPage> rotation = pages.Rotation(now);
                    Show(pages.Alarm(now) ?? rotation[(int)(elapsed.Ticks / rotate.Ticks % rotation.Count)], elapsed);
                }

                await Task.Delay(Tick, time, stop).ConfigureAwait(false);
            }
        }
        finally
        {
            if (!_failing)
            {
                Show(pages.Stopped(time.GetUtcNow()), time.GetElapsedTime(started));
            }
        }
    }

    private void Show(DisplayPage page, TimeSpan elapsed)
    {
        page.Render(_frame);
        try
        {
            display.Show(_frame);
            Showing = page.Title;
            if (_failing)
            {
                Log.DisplayBack(logger);
            }

            _failing = false;
            _backoff = TimeSpan.Zero;
        }
        catch (IOException e)
        {
            if (!_failing)
            {
                Log.DisplayFailed(logger, e.Message);
            }

            _failing = true;
            _backoff = TimeSpan.FromTicks(Math.Min(Math.Max(_backoff.Ticks * 2, TimeSpan.FromSeconds(1).Ticks), LongestBackoff.Ticks));
            _nextTry = elapsed + _backoff;
        }
    }
}
