using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Lab.Live;
using Gradscope.Lab.Store;
using Gradscope.Server;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope serve</c>: the dashboard over a run store until Ctrl-C or SIGTERM (exit 130/143);
/// stopping also stops the runs it started, which are stored as interrupted.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The environment variable whose value is the token when set (else one is generated).</summary>
    public const string TokenVariable = "GRADSCOPE_TOKEN";

    public static Command Create(CliContext context)
    {
        var store = StoreOptions.StorePath();
        var port = new Option<int>("--port") { Description = "TCP port; 0 picks a free one (the URL printed says which).", DefaultValueFactory = _ => 5080 };
        var host = new Option<string>("--host")
        {
            Description = $"Address to bind. 127.0.0.1 (default) lets only this machine in; any other address requires the token ({TokenVariable}, else generated and printed).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var open = new Option<bool>("--open") { Description = "Open the dashboard in the browser (xdg-open) once it listens." };
        var command = new Command("serve",
            "Serve the dashboard: runs, live training, comparison, sweeps, theory and the gradient playground, in the browser.\n\n" +
            "Examples:\n  gradscope serve\n  gradscope serve --store runs.db --port 0 --open\n  GRADSCOPE_TOKEN=secret gradscope serve --host 0.0.0.0 --port 8080")
        {
            store, port, host, open,
        };
        command.SetAction(parsed => Run(context, new Settings(parsed.GetValue(store), parsed.GetValue(port), parsed.GetValue(host)!, parsed.GetValue(open))));
        return command;
    }

    private sealed record Settings(string? Store, int Port, string Host, bool Open);

    private static int Run(CliContext context, Settings settings)
    {
        var options = Options(settings);
        var stop = context.Interrupts.Listen();
        var server = CreateServer(options);
        try
        {
            Start(server, settings);
            Announce(context, server, options);
            if (settings.Open)
                OpenBrowser(context, server.Url);
            stop.WaitHandle.WaitOne();
            context.Error.WriteLine("stopping the dashboard...");
            server.StopAsync().GetAwaiter().GetResult();
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return context.Interrupts.ExitCode;
    }

    private static DashboardOptions Options(Settings settings)
    {
        if (settings.Port is < 0 or > 65535)
            throw new UsageException($"--port {settings.Port} is not a TCP port: use 0 to 65535 (0 picks a free one).");
        string host = settings.Host.Trim();
        if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(host.Trim('[', ']'), out _))
            throw new UsageException($"--host '{settings.Host}' is not an IP address: use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of this machine's addresses.");
        if (settings.Store is not null && settings.Store.Trim().Length == 0)
            throw new UsageException("--store must name a file or a PostgreSQL database (postgres://user@host/db).");
        string path = RunStore.ResolvePath(settings.Store);
        string? folder = StoreLocation.IsPostgresText(path) ? null : Path.GetDirectoryName(Path.GetFullPath(path));
        if ((folder is not null && Directory.Exists(path)) || (folder is not null && !Directory.Exists(folder)))
            throw new UsageException($"--store '{path}' cannot be a run store: {(Directory.Exists(path) ? "it is a folder" : $"folder '{folder}' does not exist")}.");
        string? fromEnvironment = Environment.GetEnvironmentVariable(TokenVariable);
        return new DashboardOptions
        {
            StorePath = path,
            Host = host,
            Port = settings.Port,
            Token = string.IsNullOrWhiteSpace(fromEnvironment) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : fromEnvironment.Trim(),
            // Runs started from the dashboard train in this process, as many at once as the machine has cores.
            RunHostFactory = store => new RunHost(store),
        };
    }

    private static DashboardServer CreateServer(DashboardOptions options)
    {
        try
        {
            return DashboardServer.Create(options);
        }
        catch (StoreException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static void Start(DashboardServer server, Settings settings)
    {
        try
        {
            server.StartAsync().GetAwaiter().GetResult();
        }
        catch (IOException ex)
        {
            throw new GradscopeException($"cannot listen on {settings.Host}:{settings.Port}: {ex.Message.TrimEnd('.')} (is another server using the port? pick another with --port, or --port 0 for a free one).");
        }
    }

    private static void Announce(CliContext context, DashboardServer server, DashboardOptions options)
    {
        context.Out.WriteLine($"Gradscope dashboard: {server.Url}");
        context.Out.WriteLine($"store: {server.StoreDisplay}");
        if (server.TokenRequired)
        {
            string source = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TokenVariable)) ? "generated" : $"from {TokenVariable}";
            context.Out.WriteLine($"bound to {options.Host}, not loopback: a token is required ({source}): {options.Token}");
            context.Out.WriteLine($"open {server.Url}?token={options.Token} once in the browser, or send header X-Gradscope-Token");
        }
        else
        {
            context.Out.WriteLine("bound to loopback: no token required (only this machine can connect)");
        }

        context.Out.WriteLine("press Ctrl-C to stop");
        context.Out.Flush();
    }

    private static void OpenBrowser(CliContext context, Uri url)
    {
        try
        {
            using var browser = Process.Start(new ProcessStartInfo("xdg-open", url.ToString()) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            context.Error.WriteLine($"note: could not open a browser (xdg-open: {ex.Message}); open {url} yourself.");
        }
    }
}
