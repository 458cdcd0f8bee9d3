using System.Diagnostics;
using System.Text;
using Gradscope.TestSupport;

namespace Gradscope.Cli.Tests.Outputs;

/// <summary>
/// The built gradscope command run as a child process (<c>dotnet Gradscope.Cli.dll</c>), so tests
/// can send it real signals. Its output is plain (redirected), one line per printed epoch.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private CliProcess(string workingDirectory, string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(CliDll.Value);
        foreach (string arg in args)
            info.ArgumentList.Add(arg);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private static Lazy<string> CliDll { get; } = new(FindCliDll);

    public int Id => _process.Id;

    public string Out
    {
        get
        {
            lock (_out)
                return _out.ToString();
        }
    }

    public string Err
    {
        get
        {
            lock (_err)
                return _err.ToString();
        }
    }

    public static CliProcess Start(string workingDirectory, params string[] args) => new(workingDirectory, args);

    /// <summary>Sends <paramref name="signal"/> (INT, TERM, KILL) with kill(1).</summary>
    public void Signal(string signal) => Assert.True(TrySignal(signal), $"kill -{signal} failed: the command had exited; {Err}");

    /// <summary>Sends <paramref name="signal"/>; false when the process had already exited.</summary>
    public bool TrySignal(string signal) => PosixTools.Run("kill", "-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Exit == 0;

    /// <summary>Waits until <paramref name="condition"/> holds, polling every millisecond; false when the process ended first or time ran out.</summary>
    public bool WaitFor(Func<bool> condition, int timeoutMs = 60_000)
    {
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < timeoutMs)
        {
            if (condition())
                return true;
            if (_process.HasExited)
                return condition();
            Thread.Sleep(1);
        }

        return false;
    }

    public bool WaitForOutput(string text) => WaitFor(() => Out.Contains(text, StringComparison.Ordinal));

    public int WaitForExit(int timeoutMs = 60_000)
    {
        Assert.True(_process.WaitForExit(timeoutMs), $"the command did not exit within {timeoutMs} ms; output: {Out} {Err}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (buffer)
            buffer.AppendLine(line);
    }

    // The test project references the CLI, so its dll sits beside the tests; else the CLI's own build output.
    private static string FindCliDll()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "Gradscope.Cli.dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
            return beside;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx")))
            dir = dir.Parent;
        Assert.NotNull(dir);
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string built = Path.Combine(dir.FullName, "src", "Gradscope.Cli", "bin", configuration, "net10.0", "Gradscope.Cli.dll");
        Assert.True(File.Exists(built), $"build the CLI first: {built} is missing");
        return built;
    }
}
