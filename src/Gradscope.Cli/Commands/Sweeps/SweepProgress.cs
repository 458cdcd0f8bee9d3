using System.Diagnostics;
using System.Globalization;
using Gradscope.Lab.Store;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>
/// The progress line of a running sweep on standard error: trials finished of those to run, how many
/// failed or diverged, the rate in trials per minute and the time left at that rate. On a terminal
/// the line is rewritten in place; otherwise a line is printed at most every few seconds and at the end.
/// Called from the trials' threads.
/// </summary>
internal sealed class SweepProgress(TextWriter error, bool plain, string sweep, int total)
{
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastPrinted;
    private bool _printed;
    private int _done;
    private int _failed;
    private int _diverged;
    private int _interrupted;

    /// <summary>Trials this run finished (done or failed).</summary>
    public int Finished => _done + _failed;

    public void Report(TrialState state, Gradscope.Lab.Runs.RunStatus status)
    {
        lock (_lock)
        {
            switch (state)
            {
                case TrialState.Done:
                    _done++;
                    if (status == Gradscope.Lab.Runs.RunStatus.Diverged)
                        _diverged++;
                    break;
                case TrialState.Failed:
                    _failed++;
                    break;
                default:
                    _interrupted++;
                    break;
            }

            var now = _clock.Elapsed;
            if (!plain)
                error.Write("\r" + Line() + "   ");
            else if (!_printed || now - _lastPrinted >= PlainEvery || Finished == total)
                error.WriteLine(Line());
            else
                return;
            (_lastPrinted, _printed) = (now, true);
        }
    }

    /// <summary>Ends the line in place on a terminal.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (!plain && _printed)
                error.WriteLine();
        }
    }

    private string Line()
    {
        double minutes = _clock.Elapsed.TotalMinutes;
        double rate = minutes > 0 ? Finished / minutes : 0;
        int left = total - Finished - _interrupted;
        string eta = rate > 0 && left > 0 ? $", ETA {Duration(TimeSpan.FromMinutes(left / rate))}" : string.Empty;
        string extra = (_diverged > 0 ? $", {_diverged} diverged" : string.Empty) + (_interrupted > 0 ? $", {_interrupted} interrupted" : string.Empty);
        return string.Create(CultureInfo.InvariantCulture,
            $"sweep {sweep}: {Finished}/{total} trials ({_done} done, {_failed} failed{extra}), {rate:0.0} trials/min{eta}");
    }

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:00}s");
}
