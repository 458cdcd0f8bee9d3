using Gradscope.Lab.Live;

namespace Gradscope.Server.Hosting;

/// <summary>What every endpoint reaches: the store, the run host (null when this server cannot start runs) and the options.</summary>
internal sealed class DashboardState(DashboardOptions options, StoreGate store, IRunHost? host)
{
    public DashboardOptions Options { get; } = options;

    public StoreGate Store { get; } = store;

    public IRunHost? Host { get; } = host;

    /// <summary>The run host, or a 503 problem when the server was started without one.</summary>
    public IRunHost RequireHost() =>
        Host ?? throw new Api.ApiProblem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", "this server cannot start runs");
}
