using System.Diagnostics;

namespace Gradscope.Lab.Store;

/// <summary>Whether the process that began a run still runs: same id and same start time (ids are reused).</summary>
internal static class ProcessLiveness
{
    // Start times are read from /proc with clock-tick precision and stored to the millisecond.
    private static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(1);

    public static bool IsAlive(int pid, string? startedText)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
                return false;
            if (startedText is null)
                return true;
            var started = RunStore.ParseTimestamp(startedText);
            return (process.StartTime.ToUniversalTime() - started.UtcDateTime).Duration() <= StartTolerance;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }
}
