using System.Data.Common;
using System.Diagnostics;
using System.Reflection;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store.Dialects;

namespace Gradscope.Lab.Store;

public sealed partial class RunStore
{
    /// <summary>The version and commit of this Gradscope (<c>0.4.0+1a2b3c4</c>).</summary>
    public static string GradscopeVersion { get; } =
        typeof(RunStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Records the start of <paramref name="run"/> (its steps are added by a <see cref="RunRecorder{T}"/>
    /// or <see cref="Save"/>): identity, labels, description, data, layers, status <c>running</c>,
    /// and this process's id, start time and host, by which readers tell when it died.
    /// </summary>
    public void Begin(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Guard(() =>
        {
            using var transaction = _dialect.BeginWrite(Connection);
            InsertRun(Connection, run);
            transaction.Commit();
        });
    }

    /// <summary>
    /// Records the end of run <paramref name="id"/>: its status, error message, final numbers,
    /// findings, first non-finite value and the optional model (safetensors bytes).
    /// </summary>
    public void Finish(string id, RunEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        Guard(() => FinishRun(Connection, id, end));
    }

    /// <summary>Stores a finished run whole, in one transaction (runs recorded after the fact: demo, diagnose, imports).</summary>
    public void Save(RunRecord run, byte[]? model = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        Guard(() =>
        {
            using var transaction = _dialect.BeginWrite(Connection);
            SaveRun(Connection, _dialect, run, model);
            transaction.Commit();
        });
    }

    // A finished run whole, inside the caller's transaction.
    private static void SaveRun(DbConnection connection, StoreDialect dialect, RunRecord run, byte[]? model)
    {
        InsertRun(connection, run);
        var trace = run.Trace;
        using (var steps = new StepRows(connection, dialect, run.Id, trace.LayerCount))
        {
            for (int s = 0; s < trace.StepCount; s++)
                steps.Insert(s, trace.StepNumber(s), trace.Loss(s), trace.LearningRate(s), trace.WallSeconds(s), StepRows.Encode(trace, s));
            foreach (var histogram in trace.Histograms)
                steps.InsertHistogram(histogram);
            foreach (var epoch in trace.Epochs)
                steps.InsertEpoch(epoch);
            steps.CompleteSteps();
        }

        FinishRun(connection, run.Id, RunEnd.Of(run, model));
    }

    /// <summary>Replaces run <paramref name="id"/>'s tags with <paramref name="tags"/>.</summary>
    public void SetTags(string id, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        Guard(() =>
        {
            using var transaction = _dialect.BeginWrite(Connection);
            Run(Connection, "DELETE FROM run_tags WHERE run_id = @id", ("@id", id));
            InsertTags(Connection, id, tags);
            transaction.Commit();
        });
    }

    /// <summary>Deletes run <paramref name="id"/> with its steps, histograms, epochs and tags; its child runs keep their rows.</summary>
    public void Delete(string id) => Guard(() => Run(Connection, "DELETE FROM runs WHERE id = @id", ("@id", id)));

    private static void InsertRun(DbConnection connection, RunRecord run)
    {
        var process = Process.GetCurrentProcess();
        Run(connection,
            """
            INSERT INTO runs (id, name, kind, parent_id, spec, data_name, data_path, data_size, data_sha256, version, host, pid,
                              process_started, started, heartbeat, status, layers, activation, steps)
            VALUES (@id, @name, @kind, @parent, @spec, @dname, @dpath, @dsize, @dsha, @version, @host, @pid,
                    @pstarted, @started, @started, @status, @layers, @activation, 0)
            """,
            ("@id", run.Id), ("@name", run.Name), ("@kind", run.Kind), ("@parent", run.ParentId),
            ("@spec", run.Spec is null ? null : RunSpecJson.Write(run.Spec)),
            ("@dname", run.Data?.Name), ("@dpath", run.Data?.Path), ("@dsize", run.Data?.Size), ("@dsha", run.Data?.Sha256),
            ("@version", run.Version ?? GradscopeVersion), ("@host", run.Host ?? Environment.MachineName),
            ("@pid", Environment.ProcessId), ("@pstarted", Timestamp(process.StartTime.ToUniversalTime())),
            ("@started", Timestamp(run.Started)), ("@status", StatusName(RunStatus.Running)),
            ("@layers", LayersJson.Write(LayersJson.Of(run))), ("@activation", run.Trace.Activation));
        InsertTags(connection, run.Id, run.Tags);
    }

    private static void InsertTags(DbConnection connection, string id, IReadOnlyList<string> tags)
    {
        foreach (string tag in tags)
            Run(connection, "INSERT INTO run_tags (run_id, tag) VALUES (@id, @tag) ON CONFLICT DO NOTHING", ("@id", id), ("@tag", tag));
    }

    internal static void FinishRun(DbConnection connection, string id, RunEnd end)
    {
        Run(connection,
            """
            UPDATE runs SET status = @status, error = @error, ended = @ended, heartbeat = @ended, loss = @loss,
                   train_accuracy = @train, test_accuracy = @test, findings = @findings, first_non_finite = @nonfinite,
                   model = coalesce(@model, model), steps = (SELECT count(*) FROM steps WHERE run_id = @id)
            WHERE id = @id
            """,
            ("@id", id), ("@status", StatusName(end.Status)), ("@error", end.Error), ("@ended", Timestamp(end.Ended)),
            ("@loss", end.Final.Loss), ("@train", end.Final.TrainAccuracy), ("@test", end.Final.TestAccuracy),
            ("@findings", FindingsJson.Write(end.Findings)),
            ("@nonfinite", end.FirstNonFinite is { } e ? $"{e.Step} {e.Layer} {e.Where}" : null), ("@model", end.Model));
    }

    /// <summary>The status as the store and JSON write it: <c>running</c>, <c>completed</c>, ...</summary>
    public static string StatusName(RunStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Runs one statement with named parameters; null and NaN values are stored as NULL.</summary>
    internal static int Run(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            AddParameter(command, name, value);
        return command.ExecuteNonQuery();
    }

    /// <summary>Adds a named parameter; null and NaN become NULL.</summary>
    internal static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value is double d && double.IsNaN(d) ? DBNull.Value : value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private void Guard(Action action) => Guard(() =>
    {
        action();
        return true;
    });
}

/// <summary>How a run ended: what <see cref="RunStore.Finish"/> records.</summary>
/// <param name="Status">Completed, failed, interrupted or diverged.</param>
/// <param name="Ended">When (UTC).</param>
/// <param name="Final">Final loss and accuracies.</param>
/// <param name="Findings">The diagnosis.</param>
public sealed record RunEnd(RunStatus Status, DateTimeOffset Ended, RunMetrics Final, IReadOnlyList<Finding> Findings)
{
    /// <summary>The message of a failed run.</summary>
    public string? Error { get; init; }

    /// <summary>Where a NaN or infinity first appeared.</summary>
    public NonFiniteEvent? FirstNonFinite { get; init; }

    /// <summary>The trained model as safetensors bytes; null keeps none.</summary>
    public byte[]? Model { get; init; }

    /// <summary>The end that <paramref name="run"/> records.</summary>
    public static RunEnd Of(RunRecord run, byte[]? model = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunEnd(run.Status, run.Ended ?? DateTimeOffset.UtcNow, run.Final, run.Findings)
        {
            Error = run.Error,
            FirstNonFinite = run.Trace.FirstNonFinite,
            Model = model,
        };
    }
}
