using Gradscope.TestSupport;

namespace Gradscope.Cli.Tests.Outputs;

/// <summary>Device nodes, FIFOs and links made in a temporary folder with the system's tools; never the real /dev entries.</summary>
internal static class SpecialFiles
{
    private static readonly Lazy<string?> DeviceNodesUnavailable = new(ProbeDeviceNodes);

    /// <summary>Why device nodes cannot be made here (not root, no CAP_MKNOD, not Linux), or null when they can.</summary>
    public static string? WhyNoDeviceNodes => DeviceNodesUnavailable.Value;

    /// <summary>A character device with the numbers of /dev/null (1, 3) or /dev/full (1, 7), made at <paramref name="path"/>.</summary>
    public static void MakeCharDevice(string path, int major, int minor)
    {
        var (exit, error) = PosixTools.Run("mknod", path, "c", major.ToString(System.Globalization.CultureInfo.InvariantCulture), minor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exit == 0, $"mknod {path}: {error}");
    }

    private static string? ProbeDeviceNodes()
    {
        if (!OperatingSystem.IsLinux())
            return "device nodes are made with Linux's mknod";
        string dir = Directory.CreateTempSubdirectory("gradscope-mknod-").FullName;
        try
        {
            var (exit, error) = PosixTools.Run("mknod", Path.Combine(dir, "probe"), "c", "1", "3");
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
