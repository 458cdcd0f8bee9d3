using System.Data.Common;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Store;

/// <summary>A stored run without its steps: its record (with an empty trace that knows the layers) and how many steps it holds.</summary>
/// <param name="Record">Everything but the per-step numbers.</param>
/// <param name="Steps">Steps recorded so far.</param>
public sealed record RunSummary(RunRecord Record, int Steps);

public sealed partial class RunStore
{
    private string SummaryColumns =>
        "id, name, kind, parent_id, spec, data_name, data_path, data_size, data_sha256, version, host, started, ended, status, error, " +
        "layers, activation, loss, train_accuracy, test_accuracy, findings, first_non_finite, " +
        $"(SELECT count(*) FROM steps WHERE run_id = runs.id), (SELECT {_dialect.TagList} FROM run_tags WHERE run_id = runs.id)";

    /// <summary>Every run, newest first, after marking those whose process is gone as interrupted (<see cref="MarkAbandoned"/>).</summary>
    public IReadOnlyList<RunSummary> List()
    {
        MarkAbandoned();
        return Guard(() => ReadSummaries($"SELECT {SummaryColumns} FROM runs ORDER BY started DESC, id DESC"));
    }

    /// <summary>The ids that start with <paramref name="prefix"/> (any case), in id order.</summary>
    public IReadOnlyList<string> MatchIds(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return Guard(() =>
        {
            using var command = Connection.CreateCommand();
            command.CommandText = "SELECT id FROM runs WHERE substr(id, 1, length(@p)) = @p ORDER BY id";
            AddParameter(command, "@p", prefix.ToUpperInvariant());
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
                ids.Add(reader.GetString(0));
            return ids;
        });
    }

    /// <summary>Run <paramref name="id"/> without its steps, or null when the store has none by that id.</summary>
    public RunSummary? Find(string id)
    {
        MarkAbandoned();
        return Guard(() =>
        {
            var found = ReadSummaries($"SELECT {SummaryColumns} FROM runs WHERE id = @id", ("@id", id));
            return found.Count == 0 ? null : found[0];
        });
    }

    /// <summary>Run <paramref name="id"/> whole: its record with the full trace (steps, histograms, epochs).</summary>
    /// <exception cref="StoreException">No run has that id.</exception>
    public RunRecord Load(string id)
    {
        var summary = Find(id) ?? throw new StoreException($"run store '{Path}' has no run '{id}'.");
        var record = summary.Record;
        var layers = record.Layers;
        var trace = NewTrace(layers, record.Trace.Activation, Math.Max(1, summary.Steps));
        trace.FirstNonFinite = record.Trace.FirstNonFinite;
        Guard(() => ReadTrace(id, trace));
        return record with { Trace = trace };
    }

    /// <summary>The model stored with run <paramref name="id"/> (safetensors bytes), or null.</summary>
    public byte[]? Model(string id) => Guard(() => Scalar(Connection, "SELECT model FROM runs WHERE id = @id", ("@id", id)) as byte[]);

    /// <summary>
    /// Marks every <c>running</c> run of this host whose recording process has ended (its id is no
    /// longer alive, or now belongs to a process started at another time) as <c>interrupted</c>, ended
    /// at its last flushed step. Returns how many it marked.
    /// </summary>
    public int MarkAbandoned() => Guard(() =>
    {
        var abandoned = new List<(string Id, long Pid)>();
        using (var command = Connection.CreateCommand())
        {
            command.CommandText = "SELECT id, pid, process_started FROM runs WHERE status = 'running' AND host = @host";
            AddParameter(command, "@host", Environment.MachineName);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (reader.IsDBNull(1) || !ProcessLiveness.IsAlive((int)reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)))
                    abandoned.Add((reader.GetString(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1)));
            }
        }

        foreach (var (id, pid) in abandoned)
        {
            Run(Connection,
                "UPDATE runs SET status = 'interrupted', ended = heartbeat, error = @error, steps = (SELECT count(*) FROM steps WHERE run_id = @id) WHERE id = @id AND status = 'running'",
                ("@id", id), ("@error", $"its process ({pid}) ended without finishing the run"));
        }

        return abandoned.Count;
    });

    private static Trace NewTrace(IReadOnlyList<RecordedLayer> layers, string activation, int steps)
    {
        var names = new string[layers.Count];
        var inputs = new int[layers.Count];
        var widths = new int[layers.Count];
        for (int l = 0; l < layers.Count; l++)
            (names[l], inputs[l], widths[l]) = (layers[l].Layer.Name, layers[l].Inputs, layers[l].Units);
        return new Trace(names, inputs, widths, activation, steps);
    }

    private void ReadTrace(string id, Trace trace)
    {
        var values = new double[LayerStatNames.Count * trace.LayerCount];
        using (var command = Command("SELECT step, loss, learning_rate, wall_seconds, stats FROM steps WHERE run_id = @id ORDER BY idx", ("@id", id)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                StepRows.Decode((byte[])reader.GetValue(4), values);
                trace.AppendStep(Int(reader, 0), Real(reader, 1), Real(reader, 2), Real(reader, 3), values);
            }
        }

        using (var command = Command("SELECT idx, layer, kind, counts FROM histograms WHERE run_id = @id ORDER BY idx, layer, kind DESC", ("@id", id)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var bytes = (byte[])reader.GetValue(3);
                var counts = new int[bytes.Length / sizeof(int)];
                for (int i = 0; i < counts.Length; i++)
                    counts[i] = BitConverter.ToInt32(bytes, i * sizeof(int));
                var kind = reader.GetString(2) == "gradient" ? HistogramKind.Gradient : HistogramKind.Activation;
                trace.Histograms.Add(new HistogramRecord(Int(reader, 0), Int(reader, 1), kind, counts));
            }
        }

        using (var command = Command("SELECT epoch, steps, train_loss, train_accuracy, test_loss, test_accuracy, learning_rate FROM epochs WHERE run_id = @id ORDER BY epoch", ("@id", id)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                trace.Epochs.Add(new Training.EpochResult(Int(reader, 0), Int(reader, 1), Real(reader, 2), Real(reader, 3), Real(reader, 4), Real(reader, 5), Real(reader, 6)));
        }
    }

    private List<RunSummary> ReadSummaries(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var runs = new List<RunSummary>();
        while (reader.Read())
            runs.Add(StoredRuns.Summary(reader, Path));
        return runs;
    }

    private DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            AddParameter(command, name, value);
        return command;
    }

    private static object? Scalar(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            AddParameter(command, name, value);
        return command.ExecuteScalar();
    }

    internal static double Real(DbDataReader reader, int column) => reader.IsDBNull(column) ? double.NaN : reader.GetDouble(column);

    /// <summary>An integer column, whether the database returns it as 32 or 64 bits (PostgreSQL's count(*) is bigint).</summary>
    internal static int Int(DbDataReader reader, int column) => Convert.ToInt32(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture);

    // Database errors become store exceptions that say what went wrong with which store; lost
    // connections are retried within the retry budget (each guarded action is one transaction).
    private TResult Guard<TResult>(Func<TResult> action) => _db.Run(_ => action());
}
