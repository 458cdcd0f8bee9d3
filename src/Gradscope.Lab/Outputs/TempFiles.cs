using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Gradscope.Lab.Outputs;

/// <summary>
/// The temporary files this process is writing, named <c>.NAME.PID-N.tmp</c> beside their
/// target, so that an interrupt can delete them before the process exits and a later run can
/// recognise those of a process that died (<c>kill -9</c>, a crash, a power cut) and remove them.
/// </summary>
public static partial class TempFiles
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Open = [];
    private static int _serial;
    private static bool _closed;

    /// <summary>
    /// Deletes every temporary file this process has open and refuses new ones: called on the
    /// way out of an interrupted process, so nothing half-written stays behind.
    /// </summary>
    public static void DeleteAllAndClose()
    {
        lock (Gate)
        {
            _closed = true;
            foreach (string path in Open)
                TryDelete(path);
            Open.Clear();
        }
    }

    /// <summary>
    /// Creates a new temporary file beside <paramref name="target"/>, open for writing and locked
    /// (FileShare.None takes an exclusive advisory lock on Unix, which tells a sweeper in another
    /// process that the file is alive).
    /// </summary>
    internal static (string Path, FileStream Stream) Create(string target)
    {
        string folder = Path.GetDirectoryName(target)!;
        string name = Path.GetFileName(target);
        lock (Gate)
        {
            // Creating under the lock means an interrupt either sees the file and deletes it, or
            // has closed the registry and no file is created.
            if (_closed)
                throw new OperationCanceledException("the process is exiting after an interrupt");
            string path = Path.Combine(folder, $".{name}.{Environment.ProcessId}-{++_serial}.tmp");
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            Open.Add(path);
            return (path, stream);
        }
    }

    /// <summary>Forgets <paramref name="path"/>: it was renamed onto its target, or is deleted now.</summary>
    internal static void Release(string path, bool delete)
    {
        lock (Gate)
        {
            Open.Remove(path);
            if (delete)
                TryDelete(path);
        }
    }

    /// <summary>
    /// Removes the temporary files in <paramref name="folder"/> left by processes that no longer
    /// run. A file whose process id is alive, or that another process holds locked, is kept: the
    /// id may belong to a process in another PID namespace writing into a shared folder.
    /// </summary>
    /// <returns>The paths removed.</returns>
    public static IReadOnlyList<string> RemoveStale(string folder)
    {
        var removed = new List<string>();
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, ".*.tmp");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return removed;
        }

        foreach (string path in candidates)
        {
            var match = TempName().Match(Path.GetFileName(path));
            if (!match.Success || !int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                continue;
            if (pid == Environment.ProcessId || IsAlive(pid) || !TryDeleteUnlocked(path))
                continue;
            removed.Add(path);
        }

        return removed;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static bool TryDeleteUnlocked(string path)
    {
        try
        {
            // A writer that is still alive holds the lock; then this open fails and the file stays.
            new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 1).Dispose();
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the failure that led here is the one worth reporting.
        }
    }

    [GeneratedRegex(@"^\..+\.(?<pid>[0-9]{1,9})-[0-9]{1,9}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TempName();
}
