using System.Text.Json;
using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps;
using Gradscope.Server.Hosting;

namespace Gradscope.Server.Api;

/// <summary><c>GET /api/sweeps</c> (as <c>sweep list --json</c>) and <c>GET /api/sweeps/{name}</c> (as <c>sweep show --json</c>, each cell with its run ids).</summary>
internal static class SweepsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/sweeps", List).WithName("ListSweeps").WithSummary("The stored sweeps with their trials by state (as 'gradscope sweep list --json')")
            .Produces<JsonElement>(200, "application/json");
        api.MapGet("/sweeps/{name}", Show).WithName("GetSweep").WithSummary("One sweep's cells with their measures and run ids (as 'gradscope sweep show --json')")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(404);
    }

    private static IResult List(DashboardState state)
    {
        var sweeps = state.Store.Use(store => store.ListSweeps());
        return new JsonResult(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("sweeps");
            foreach (var sweep in sweeps)
            {
                w.WriteStartObject();
                w.WriteString("name", sweep.Name);
                w.WriteString("created", RunStore.Timestamp(sweep.Created));
                w.WriteString("updated", RunStore.Timestamp(sweep.Updated));
                w.WriteNumber("trials", sweep.Total);
                foreach (var trialState in Enum.GetValues<TrialState>())
                    w.WriteNumber(RunStore.StateName(trialState), sweep.Count(trialState));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static IResult Show(string name, DashboardState state)
    {
        var (summary, trials) = state.Store.Use(store =>
        {
            if (store.FindSweep(name) is null)
                throw ApiProblem.NotFound($"no sweep '{name}' in the store (see GET /api/sweeps).");
            return (SweepSummaries.Of(store, name), store.Trials(name));
        });
        return new JsonResult(w => Write(w, summary, trials));
    }

    private static void Write(Utf8JsonWriter w, SweepSummary summary, IReadOnlyList<StoredTrial> trials)
    {
        w.WriteStartObject();
        w.WriteString("name", summary.Name);
        w.WriteStartObject("trials");
        w.WriteNumber("total", trials.Count);
        foreach (var trialState in Enum.GetValues<TrialState>())
            w.WriteNumber(RunStore.StateName(trialState), summary.Count(trialState));
        w.WriteEndObject();
        w.WriteString("spread", "std: sample standard deviation (n - 1) over the seeds of each cell; n: finite values");
        w.WriteStartArray("cells");
        foreach (var cell in summary.Cells)
        {
            w.WriteStartObject();
            w.WriteString("cell", cell.Cell);
            w.WriteNumber("trials", cell.Trials);
            w.WriteNumber("done", cell.Done);
            w.WriteNumber("failed", cell.Failed);
            w.WriteNumber("diverged", cell.Diverged);
            SweepJson.WriteMeasures(w, cell);
            w.WriteStartArray("findings");
            foreach (var finding in cell.Findings)
            {
                w.WriteStartObject();
                w.WriteString("kind", finding.Kind);
                w.WriteNumber("trials", finding.Trials);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("run_ids");
            foreach (var trial in trials)
            {
                if (trial.Cell == cell.Cell && trial.RunId is not null)
                    w.WriteStringValue(trial.RunId);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
