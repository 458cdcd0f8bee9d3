using System.Net;
using Gradscope.Lab.Live;
using Gradscope.Server.Api;
using Gradscope.Server.Assets;
using Gradscope.Server.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gradscope.Server;

/// <summary>
/// The dashboard: Kestrel serving the JSON API over a run store (<c>/api/...</c>, documented at
/// <c>/openapi/v1.json</c>) and the embedded front end. Start it, read <see cref="Url"/>, stop it;
/// stopping also stops the runs its host started (they are stored as interrupted).
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DashboardState _state;

    private DashboardServer(WebApplication app, DashboardState state)
    {
        _app = app;
        _state = state;
    }

    /// <summary>The bound address (<c>http://127.0.0.1:5080/</c>), known once started.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The store as messages show it: the file's full path, or the PostgreSQL URL without its password.</summary>
    public string StoreDisplay => _state.Store.Display;

    /// <summary>True when clients must send the token (the server is bound to a non-loopback address).</summary>
    public bool TokenRequired => !_state.Options.Loopback;

    /// <summary>Builds the server; opening the store fails here (<see cref="Lab.Store.StoreException"/>) rather than on the first request.</summary>
    public static DashboardServer Create(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new StoreGate(options.StorePath);
        IRunHost? host = null;
        try
        {
            host = options.RunHostFactory?.Invoke(options.StorePath);
            var state = new DashboardState(options, store, host);
            return new DashboardServer(Build(state), state);
        }
        catch
        {
            host?.Dispose();
            store.Dispose();
            throw;
        }
    }

    /// <summary>Starts listening; an address in use throws <see cref="IOException"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        // Kestrel reports 0.0.0.0 or [::] for the wildcard: say so as bound, a browser still needs a real host.
        Url = new UriBuilder(bound) { Path = "/" }.Uri;
    }

    /// <summary>Stops listening and stops the host's runs.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default) => await _app.StopAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _state.Host?.Dispose();
        _state.Store.Dispose();
    }

    private static WebApplication Build(DashboardState state)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(new EmbeddedAssets(typeof(DashboardServer).Assembly));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Gradscope dashboard API";
            document.Info.Description = "The run store over HTTP: runs, per-layer statistics, live streams, run control, sweeps and mean-field theory. " +
                "Errors are RFC 7807 problem details. Bound to a non-loopback address, every /api request needs the token (header X-Gradscope-Token or cookie gradscope_token).";
            return Task.CompletedTask;
        }));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = RequestBodies.MaxBytes;
            kestrel.AddServerHeader = false;
            var address = string.Equals(state.Options.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(state.Options.Host.Trim('[', ']'));
            kestrel.Listen(address, state.Options.Port);
        });
        var app = builder.Build();
        app.UseMiddleware<ProblemMiddleware>();
        // Statuses the framework answers with no body (405 for a GET to a POST endpoint) become problem details too.
        app.UseStatusCodePages();
        app.UseMiddleware<TokenGate>();
        app.UseMiddleware<AssetMiddleware>();
        app.MapOpenApi("/openapi/{documentName}.json");
        var api = app.MapGroup("/api");
        RunsApi.Map(api);
        StepsApi.Map(api);
        HistogramsApi.Map(api);
        StreamApi.Map(api);
        ViewsApi.Map(api);
        ControlApi.Map(api);
        SweepsApi.Map(api);
        TheoryApi.Map(api);
        CatalogueApi.Map(api);
        app.MapFallback("/api/{**rest}", (HttpContext http) =>
            throw ApiProblem.NotFound($"no API endpoint {http.Request.Method} {http.Request.Path}; see /openapi/v1.json."));
        app.Lifetime.ApplicationStopping.Register(() => StopHostedRuns(state.Host));
        return app;
    }

    // Stopping the server stops the runs it started; the host stores them as interrupted.
    private static void StopHostedRuns(IRunHost? host) => host?.Dispose();
}
