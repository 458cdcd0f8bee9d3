using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gradscope.Cli;

namespace Gradscope.Server.Tests;

public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("--store", "/nonexistent-folder-gradscope/x.db", "does not exist")]
    [InlineData("--port", "70000", "not a TCP port")]
    [InlineData("--host", "example.com", "not an IP address")]
    public void Serve_BadUsage_Exit2OneLine(string option, string value, string message)
    {
        string[] args = option == "--store" ? ["serve", option, value] : ["serve", option, value, "--store", TestRuns.TempStore()];
        var (exit, _, stderr) = Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_StoreNotADatabase_Exit2()
    {
        string store = TestRuns.TempStore();
        File.WriteAllText(store, "this is not sqlite, just text that is long enough to be read as a header by sqlite's open");
        var (exit, _, stderr) = Run("serve", "--store", store, "--port", "0");
        Assert.Equal(2, exit);
        Assert.Contains(store, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_PortInUse_Exit1OneLine()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var (exit, _, stderr) = Run("serve", "--store", TestRuns.TempStore(), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, exit);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Serve_Process_PrintsUrlServesAndStopsOnSigterm()
    {
        string store = TestRuns.TempStore();
        string cli = Path.Combine(AppContext.BaseDirectory, "Gradscope.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { cli, "serve", "--store", store, "--port", "0" })
            start.ArgumentList.Add(arg);
        start.Environment.Remove("GRADSCOPE_TOKEN");
        using var process = Process.Start(start)!;
        try
        {
            string first = (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;
            Assert.StartsWith("Gradscope dashboard: http://127.0.0.1:", first, StringComparison.Ordinal);
            string rest = await ReadLines(process.StandardOutput, 3);
            Assert.Contains("no token required", rest, StringComparison.Ordinal);
            using var client = new HttpClient { BaseAddress = new Uri(first["Gradscope dashboard: ".Length..]) };
            string info = await client.GetStringAsync("/api/info");
            Assert.Contains("\"loopback\":true", info, StringComparison.Ordinal);
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(143, process.ExitCode);
            Assert.DoesNotContain("   at ", await process.StandardError.ReadToEndAsync(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    private static async Task<string> ReadLines(StreamReader reader, int count)
    {
        var lines = new List<string>();
        for (int i = 0; i < count; i++)
            lines.Add((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!);
        return string.Join("\n", lines);
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = CliApp.Run(args, stdout, stderr, plain: true);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
