using System.Text.Json;
using Gradscope.Lab.Live;
using Gradscope.Server.Hosting;

namespace Gradscope.Server.Api;

/// <summary>
/// The endpoints that start or steer runs through the <see cref="IRunHost"/>: <c>POST /api/runs</c>,
/// <c>/stop|pause|resume|step</c>, <c>/rerun</c> and <c>/remedies/{remedy}</c>. Without a host
/// they answer 503; a full host answers 429.
/// </summary>
internal static class ControlApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/runs", Start).WithName("StartRun")
            .WithSummary("Start a run from a run description (run-spec v1), optionally wrapped as {spec, name, tags, paused}; 202 with its id")
            .Accepts<JsonElement>("application/json").Produces<JsonElement>(202, "application/json")
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(429).ProducesProblem(503);
        foreach (var (verb, command) in new[] { ("stop", RunControl.Stop), ("pause", RunControl.Pause), ("resume", RunControl.Resume), ("step", RunControl.Step) })
        {
            api.MapPost($"/runs/{{id}}/{verb}", (string id, DashboardState state) => Control(id, command, state))
                .WithName(char.ToUpperInvariant(verb[0]) + verb[1..] + "Run").WithSummary($"{char.ToUpperInvariant(verb[0]) + verb[1..]} a run this server started; 200 {{id, status, step}}")
                .Produces<JsonElement>(200, "application/json").ProducesProblem(404).ProducesProblem(409).ProducesProblem(503);
        }

        api.MapPost("/runs/{id}/rerun", Rerun).WithName("RerunRun").WithSummary("Start a new run with the same description (its parent is this run); 202")
            .Produces<JsonElement>(202, "application/json").ProducesProblem(404).ProducesProblem(409).ProducesProblem(429).ProducesProblem(503);
        api.MapPost("/runs/{id}/remedies/{remedy}", Remedy).WithName("ApplyRemedy")
            .WithSummary("Start a new run: this run's description with the remedy applied (ids from GET /api/remedies); 202")
            .Produces<JsonElement>(202, "application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(429).ProducesProblem(503);
    }

    private static async Task<IResult> Start(HttpContext http, DashboardState state)
    {
        var host = state.RequireHost();
        var (spec, options) = RequestBodies.ParseRun(await RequestBodies.ReadLimited(http.Request).ConfigureAwait(false));
        return Started(Guard(() => host.Start(spec, options)));
    }

    private static IResult Control(string id, RunControl command, DashboardState state)
    {
        var host = state.RequireHost();
        string runId = state.Store.Resolve(id).Record.Id;
        return host.Control(runId, command) switch
        {
            ControlOutcome.NotHosted => throw ApiProblem.Conflict($"run '{runId}' was not started by this server: it cannot be steered from here."),
            ControlOutcome.Ended => throw ApiProblem.Conflict($"run '{runId}' has already ended."),
            _ => State(runId, host),
        };
    }

    private static IResult State(string runId, IRunHost host)
    {
        var state = host.State(runId);
        return new JsonResult(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", runId);
            w.WriteString("status", state?.Status);
            w.WriteNumber("step", state?.Step ?? 0);
            w.WriteEndObject();
        });
    }

    private static IResult Rerun(string id, DashboardState state)
    {
        var host = state.RequireHost();
        var run = state.Store.Resolve(id).Record;
        var spec = run.Spec ?? throw ApiProblem.Conflict($"run '{run.Id}' has no run description (it was not trained by Gradscope): it cannot be re-run.");
        return Started(Guard(() => host.Start(spec, new HostedRunOptions(run.Name, run.Tags.Where(t => t != "serve").ToList(), run.Id))));
    }

    private static IResult Remedy(string id, string remedy, DashboardState state)
    {
        var host = state.RequireHost();
        var run = state.Store.Resolve(id).Record;
        if (!Diagnostics.Remedies.All.Any(r => r.Id == remedy))
            throw ApiProblem.NotFound($"no remedy '{remedy}'; the remedies are {string.Join(", ", Diagnostics.Remedies.All.Select(r => r.Id))}.");
        return Started(Guard(() => host.StartRemedy(run.Id, remedy, new HostedRunOptions(run.Name, [$"remedy:{remedy}"], run.Id))));
    }

    private static string Guard(Func<string> start)
    {
        try
        {
            return start();
        }
        catch (RunHostFullException ex)
        {
            throw new ApiProblem(StatusCodes.Status429TooManyRequests, "Too many runs", ex.Message);
        }
        catch (GradscopeException ex)
        {
            throw ApiProblem.BadRequest(ex.Message);
        }
    }

    private static JsonResult Started(string runId) => new(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", runId);
        w.WriteString("url", $"/api/runs/{runId}");
        w.WriteEndObject();
    }, StatusCodes.Status202Accepted)
    { Location = $"/api/runs/{runId}" };
}
