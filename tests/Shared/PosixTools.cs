using System.Diagnostics;

namespace Gradscope.TestSupport;

/// <summary>
/// FIFOs, links and child processes for the output-policy tests, made with the system's own tools.
/// Linked into the Lab and CLI test projects (tests/Shared), so both use one copy.
/// </summary>
internal static class PosixTools
{
    public static string TempDir() => Directory.CreateTempSubdirectory("gradscope-out-").FullName;

    /// <summary>Runs a tool and returns its exit code and standard error.</summary>
    public static (int Exit, string Error) Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }

    public static void MakeFifo(string path) => Assert.Equal(0, Run("mkfifo", path).Exit);

    /// <summary>The kind of file at <paramref name="path"/> as stat(1) names it, links not followed ("fifo", "regular file", "symbolic link"...).</summary>
    public static string Kind(string path)
    {
        var info = new ProcessStartInfo("stat", ["-c", "%F", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        string kind = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? kind : "missing";
    }

    /// <summary>The id of a process that ran and was killed with SIGKILL, so no process has it now (until the id is reused).</summary>
    public static int DeadProcessId()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        int pid = child.Id;
        child.Kill();
        child.WaitForExit();
        return pid;
    }
}

/// <summary>A fact that needs Unix tools (mkfifo, stat, sleep); skipped with the reason on Windows.</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
            Skip = "needs Unix FIFOs, symbolic links and signals";
    }
}
