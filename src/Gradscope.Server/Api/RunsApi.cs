using System.Text.Json;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Server.Hosting;

namespace Gradscope.Server.Api;

/// <summary><c>GET /api/runs</c> and <c>GET /api/runs/{id}</c>: the stored runs and one run's description, layers, summary, findings and epochs.</summary>
internal static class RunsApi
{
    // Built-in sets whose inputs are points of the plane: a decision boundary can be drawn.
    private static readonly string[] PlanarSets = ["spiral", "moons", "circles", "xor", "checkerboard"];

    // The run kind the PyTorch hook (gradscope_torch) writes in its trace header.
    private const string TorchKind = "torch";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/runs", List).WithName("ListRuns").WithSummary("The stored runs, newest first (the objects of 'gradscope runs list --json')")
            .WithDescription("Filters: status, tag (repeatable), name (substring), since (date), limit (1..10000, default 1000).")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(400);
        api.MapGet("/runs/{id}", Detail).WithName("GetRun").WithSummary("One run: its list object, description, layers, summary, findings, epochs, data and init variances")
            .Produces<JsonElement>(200, "application/json").ProducesProblem(400).ProducesProblem(404);
    }

    private static IResult List(HttpContext http, DashboardState state)
    {
        var filters = RunFilters.From(http.Request.Query);
        var runs = state.Store.Use(store => store.List()).Where(r => filters.Matches(r, LiveRuns.Status(state, r))).Take(filters.Limit).ToList();
        return new JsonResult(w => LiveRuns.WriteArray(w, runs, state));
    }

    private static IResult Detail(string id, DashboardState state)
    {
        var summary = state.Store.Resolve(id);
        var epochs = ReadEpochs(state.Store, summary.Record.Id);
        return new JsonResult(w => WriteDetail(w, summary, epochs, state));
    }

    private static void WriteDetail(Utf8JsonWriter w, RunSummary summary, List<EpochRow> epochs, DashboardState state)
    {
        var run = summary.Record;
        w.WriteStartObject();
        w.WriteStartObject("run");
        LiveRuns.WriteMembers(w, summary, state);
        w.WriteEndObject();
        w.WritePropertyName("spec");
        if (run.Spec is null)
            w.WriteNullValue();
        else
            RunSpecJson.Write(w, run.Spec);
        var layers = run.Layers.Count > 0 ? run.Layers : Lab.Traces.RecordedLayers.From(run.Trace);
        RecordedLayerJson.WriteArray(w, layers);
        WriteSummaryObject(w, summary);
        // A PyTorch run's remedies carry the code that applies them, as 'diagnose --trace --json' writes
        // them. The store does not keep the trace header's framework: a run the PyTorch hook recorded
        // is known by its kind, "torch".
        bool torch = run.Kind == TorchKind || string.Equals(run.Framework?.Name, "pytorch", StringComparison.OrdinalIgnoreCase);
        Func<Diagnostics.Remedy, string?>? code = torch ? r => Lab.Traces.TorchRemedyCode.For(r, layers, run.Framework) : null;
        w.WriteStartArray("findings");
        foreach (var finding in run.Findings)
        {
            w.WriteStartObject();
            FindingJson.WriteMembers(w, finding, code);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteEpochs(w, epochs);
        RunsJson.WriteData(w, run.Data);
        WriteVariances(w, run.Spec);
        w.WriteBoolean("two_d", run.Spec is not null && PlanarSets.Contains(run.Spec.Data.Source.ToLowerInvariant()));
        w.WriteEndObject();
    }

    private static void WriteSummaryObject(Utf8JsonWriter w, RunSummary summary)
    {
        var run = summary.Record;
        w.WriteStartObject("summary");
        w.WriteString("status", RunStore.StatusName(run.Status));
        w.WriteNumber("steps", summary.Steps);
        w.WriteNumber("layers", run.Trace.LayerCount);
        w.WriteString("activation", run.Trace.Activation);
        JsonNumbers.Write(w, "loss", run.Final.Loss);
        JsonNumbers.Write(w, "train_accuracy", run.Final.TrainAccuracy);
        JsonNumbers.Write(w, "test_accuracy", run.Final.TestAccuracy);
        w.WriteString("error", run.Error);
        if (run.Trace.FirstNonFinite is { } nonFinite)
        {
            w.WriteStartObject("first_non_finite");
            // The event holds the recorded-step index; the training step is what users see (they
            // differ when a trace records every k-th step).
            w.WriteNumber("step", nonFinite.Step < run.Trace.StepCount ? run.Trace.StepNumber(nonFinite.Step) : nonFinite.Step);
            FindingJson.WriteLayerRef(w, Diagnostics.LayerRef.At(run.Trace.LayerNames, nonFinite.Layer));
            w.WriteString("where", nonFinite.Where);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("first_non_finite");
        }

        w.WriteEndObject();
    }

    // sigma_w^2 and sigma_b^2 as mean-field theory reads an initializer for layers of equal width:
    // every fan-based rule gives Var(W) = gain^2 / fan_in, so sigma_w^2 = gain^2; constant biases have
    // no variance. A fixed-std rule (normal, uniform) depends on the width: no mark.
    private static void WriteVariances(Utf8JsonWriter w, RunSpec? spec)
    {
        var init = spec?.Init;
        bool fanBased = init is not null && spec!.Weights is null && init is not (Normal or Uniform or Standard);
        if (fanBased)
        {
            JsonNumbers.Write(w, "weight_var", init!.Gain * init.Gain);
            w.WriteNumber("bias_var", 0);
        }
        else
        {
            w.WriteNull("weight_var");
            w.WriteNull("bias_var");
        }
    }

    private static void WriteEpochs(Utf8JsonWriter w, List<EpochRow> epochs)
    {
        w.WriteStartArray("epochs");
        foreach (var e in epochs)
        {
            w.WriteStartObject();
            w.WriteNumber("epoch", e.Epoch + 1);
            w.WriteNumber("steps", e.Steps);
            JsonNumbers.Write(w, "train_loss", e.TrainLoss);
            JsonNumbers.Write(w, "train_accuracy", e.TrainAccuracy);
            JsonNumbers.Write(w, "test_loss", e.TestLoss);
            JsonNumbers.Write(w, "test_accuracy", e.TestAccuracy);
            JsonNumbers.Write(w, "learning_rate", e.LearningRate);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static List<EpochRow> ReadEpochs(StoreGate store, string id)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT epoch, steps, train_loss, train_accuracy, test_loss, test_accuracy, learning_rate FROM epochs WHERE run_id = @id ORDER BY epoch";
        RunStore.AddParameter(command, "@id", id);
        using var reader = command.ExecuteReader();
        var rows = new List<EpochRow>();
        while (reader.Read())
            rows.Add(new EpochRow(RunStore.Int(reader, 0), RunStore.Int(reader, 1), RunStore.Real(reader, 2), RunStore.Real(reader, 3), RunStore.Real(reader, 4), RunStore.Real(reader, 5), RunStore.Real(reader, 6)));
        return rows;
    }

    private sealed record EpochRow(int Epoch, int Steps, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double LearningRate);
}
