using System.Text.Json;
using Gradscope.Lab.Live;
using Gradscope.Lab.Store;
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
            api.MapPost($"/runs/{{id}}/{verb}", (string id, DashboardState state, CancellationToken aborted) => Control(id, command, state, aborted))
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

    // The request body is ignored: a page being closed stops its run with navigator.sendBeacon,
    // which posts text/plain (or nothing).
    private static async Task<IResult> Control(string id, RunControl command, DashboardState state, CancellationToken aborted)
    {
        var host = state.RequireHost();
        var record = state.Store.Resolve(id).Record;
        string runId = record.Id;
        var before = host.State(runId);
        return host.Control(runId, command) switch
        {
            ControlOutcome.NotHosted => throw ApiProblem.Conflict($"run '{runId}' was not started by this server: it cannot be steered from here."),

            // Stopping is idempotent: a run that has ended is stopped. A page whose stream has not
            // yet said "end" stops a run that just finished; the answer is its final state.
            ControlOutcome.Ended when command == RunControl.Stop => State(runId, host.State(runId) ?? new HostedRunState(runId, RunStore.StatusName(record.Status), 0, 0)),
            ControlOutcome.Ended => throw ApiProblem.Conflict($"run '{runId}' has already ended."),
            _ => State(runId, await Settled(host, runId, command, before, aborted).ConfigureAwait(false)),
        };
    }

    // How long a control answer waits for the run to reach the state the command asks for.
    internal static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(3);

    // The state once the command took effect: a stop ends the run and a step moves it on at the next
    // step boundary, not at once; after SettleLimit, whatever the state is then.
    private static async Task<HostedRunState?> Settled(IRunHost host, string runId, RunControl command, HostedRunState? before, CancellationToken aborted)
    {
        long deadline = Environment.TickCount64 + (long)SettleLimit.TotalMilliseconds;
        while (true)
        {
            var now = host.State(runId);
            bool ended = now is { Status: not ("running" or "paused") };
            bool done = now is null || ended || command switch
            {
                RunControl.Stop => false,
                RunControl.Step => now.Step > (before?.Step ?? 0),
                _ => true,
            };
            if (done || Environment.TickCount64 >= deadline || aborted.IsCancellationRequested)
                return now;
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static IResult State(string runId, HostedRunState? state)
    {
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
        // Named after its parent and the remedy, so lists and comparisons tell the two apart.
        string name = $"{run.Name ?? run.Id[..Math.Min(10, run.Id.Length)]} + {remedy}";
        return Started(Guard(() => host.StartRemedy(run.Id, remedy, new HostedRunOptions(name, [$"remedy:{remedy}"], run.Id))));
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
        w.WriteString("page", $"/runs/{runId}");
        w.WriteEndObject();
    }, StatusCodes.Status202Accepted)
    { Location = $"/api/runs/{runId}" };
}
