using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gradscope.Browser.Tests.Dashboard;

/// <summary><c>gradscope serve --port 0 --store STORE</c> as a child process; the URL it prints is where it listens.</summary>
internal sealed partial class DashboardServer : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private DashboardServer(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>What the server printed so far (for a failing test's message).</summary>
    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    public static async Task<DashboardServer> Start(string store)
    {
        var process = GradscopeProcess.Start("serve", "--store", store, "--port", "0");
        var found = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        void Read(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
                return;
            lock (lines)
                lines.Add(e.Data);
            if (UrlPattern().Match(e.Data) is { Success: true } match)
                found.TrySetResult(new Uri(match.Value));
        }

        process.OutputDataReceived += Read;
        process.ErrorDataReceived += Read;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != found.Task)
        {
            GradscopeProcess.Stop(process);
            string said;
            lock (lines)
                said = string.Join('\n', lines);
            throw new InvalidOperationException($"gradscope serve printed no URL within a minute (exit: {(process.HasExited ? process.ExitCode : "none")}):\n{said}");
        }

        var server = new DashboardServer(process, await found.Task);
        lock (lines)
            server._output.AddRange(lines);
        return server;
    }

    public void Dispose()
    {
        GradscopeProcess.Stop(_process);
        _process.Dispose();
    }

    [GeneratedRegex(@"http://(?:127\.0\.0\.1|localhost|\[::1\]):\d+/?")]
    private static partial Regex UrlPattern();
}
