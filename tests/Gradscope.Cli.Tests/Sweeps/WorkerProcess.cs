using System.Diagnostics;
using System.Text;

namespace Gradscope.Cli.Tests.Sweeps;

/// <summary>
/// A <c>gradscope worker</c> as a child process (the built Gradscope.Cli.dll next to the tests), as
/// a batch system starts one: its output collected as it comes, so it never blocks on a full pipe.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private WorkerProcess(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gradscope.Cli.dll"));
        foreach (string arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["NO_COLOR"] = "1";
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Out => Read(_out);

    public string Err => Read(_err);

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Starts <c>gradscope worker --store STORE ARGS</c>.</summary>
    public static WorkerProcess Start(string store, params string[] args) => new(["worker", "--store", store, .. args]);

    /// <summary>Waits for the exit (failing the test after <paramref name="timeout"/>) and returns the exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            Assert.Fail($"worker {Id} still runs after {timeout.TotalSeconds} s; its output:\n{Out}\n{Err}");
        _process.WaitForExit(); // the output's last lines
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the worker gets no chance to give its trial back.</summary>
    public void Kill() => _process.Kill();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
            return;
        lock (text)
            text.AppendLine(line);
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
            return text.ToString();
    }
}
