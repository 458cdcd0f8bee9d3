using System.Diagnostics;

namespace Gradscope.Cli.Tests.Outputs;

/// <summary>Device nodes, FIFOs and links made in a temporary folder with the system's tools; never the real /dev entries.</summary>
internal static class SpecialFiles
{
    private static readonly Lazy<string?> DeviceNodesUnavailable = new(ProbeDeviceNodes);

    /// <summary>Why device nodes cannot be made here (not root, no CAP_MKNOD, not Linux), or null when they can.</summary>
    public static string? WhyNoDeviceNodes => DeviceNodesUnavailable.Value;

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

    /// <summary>A character device with the numbers of /dev/null (1, 3) or /dev/full (1, 7), made at <paramref name="path"/>.</summary>
    public static void MakeCharDevice(string path, int major, int minor)
    {
        var (exit, error) = Run("mknod", path, "c", major.ToString(System.Globalization.CultureInfo.InvariantCulture), minor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exit == 0, $"mknod {path}: {error}");
    }

    public static void MakeFifo(string path) => Assert.Equal(0, Run("mkfifo", path).Exit);

    /// <summary>The kind of file at <paramref name="path"/> as stat(1) names it, links not followed.</summary>
    public static string Kind(string path)
    {
        var info = new ProcessStartInfo("stat", ["-c", "%F", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        string kind = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? kind : "missing";
    }

    /// <summary>The id of a process that was killed with SIGKILL, so no process has it now.</summary>
    public static int DeadProcessId()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        int pid = child.Id;
        child.Kill();
        child.WaitForExit();
        return pid;
    }

    private static string? ProbeDeviceNodes()
    {
        if (!OperatingSystem.IsLinux())
            return "device nodes are made with Linux's mknod";
        string dir = Directory.CreateTempSubdirectory("gradscope-mknod-").FullName;
        try
        {
            var (exit, error) = Run("mknod", Path.Combine(dir, "probe"), "c", "1", "3");
            return exit == 0 ? null : $"mknod is not permitted here (needs root or CAP_MKNOD): {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"mknod is not installed: {ex.Message}";
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>A fact that makes device nodes; skipped, with the reason shown, where mknod is not permitted.</summary>
internal sealed class DeviceNodeFactAttribute : FactAttribute
{
    public DeviceNodeFactAttribute()
    {
        Skip = SpecialFiles.WhyNoDeviceNodes;
    }
}

/// <summary>A fact that needs Unix FIFOs, links or signals; skipped with the reason on Windows.</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
            Skip = "needs Unix FIFOs, symbolic links and signals";
    }
}
