using System.Diagnostics;

namespace Gradscope.Browser.Tests.Dashboard;

/// <summary>
/// The built <c>gradscope</c> CLI (Gradscope.Cli.dll, copied next to the tests by the project
/// reference) as a child process, as a user runs it in a terminal.
/// </summary>
internal static class GradscopeProcess
{
    private static string Dll => Path.Combine(AppContext.BaseDirectory, "Gradscope.Cli.dll");

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Starts <c>gradscope ARGS</c> with its output redirected; the caller reads or drains it.</summary>
    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (string arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["NO_COLOR"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + Dll);
    }

    /// <summary>Runs <c>gradscope ARGS</c> to the end (at most two minutes) and fails the test unless it exits 0.</summary>
    public static async Task<string> Run(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"gradscope {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>Ends a child process (and its children) this test started, if it still runs.</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
