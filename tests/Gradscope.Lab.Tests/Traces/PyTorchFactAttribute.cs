using System.Diagnostics;

namespace Gradscope.Lab.Tests.Traces;

/// <summary>
/// A test that runs Debian's PyTorch (<c>/usr/bin/python3</c> with <c>torch</c>): skipped where
/// that Python cannot import torch, except under <c>CI=true</c>, where <c>.ci/run</c> installed
/// it and the test must run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PyTorchFactAttribute : FactAttribute
{
    /// <summary>The Python the PyTorch tests run.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> HasTorch = new(CanImportTorch);

    /// <summary>Skips unless <see cref="Python"/> imports torch or CI is set.</summary>
    public PyTorchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && !HasTorch.Value)
            Skip = $"needs {Python} with torch (Debian's python3-torch); .ci/run installs it";
    }

    private static bool CanImportTorch()
    {
        if (!File.Exists(Python))
            return false;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
                return false;
            if (!process.WaitForExit(60_000))
            {
                process.Kill();
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
