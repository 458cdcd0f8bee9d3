using System.Buffers.Binary;
using System.Data.Common;
using Gradscope.Diagnostics;
using Gradscope.Lab.Store.Dialects;
using Gradscope.Training;

namespace Gradscope.Lab.Store;

/// <summary>
/// Prepared inserts for one run's steps, histograms and epochs, reused for every row of a batch.
/// A step's statistics are one BLOB of little-endian doubles, statistic-major
/// (<c>[LayerStat][layer]</c>): 11 x layers x 8 bytes, written and read without parsing.
/// </summary>
internal sealed class StepRows : IDisposable
{
    private readonly IStepSink _step;
    private readonly DbCommand _histogram;
    private readonly DbCommand _epoch;

    public StepRows(DbConnection connection, StoreDialect dialect, string runId, int layers)
    {
        Layers = layers;
        _step = dialect.StepSink(connection, runId);
        _histogram = Prepare(connection,
            """
            INSERT INTO histograms (run_id, idx, layer, kind, counts) VALUES (@run, @idx, @layer, @kind, @counts)
            ON CONFLICT (run_id, idx, layer, kind) DO UPDATE SET counts = excluded.counts
            """,
            runId, "@idx", "@layer", "@kind", "@counts");
        _epoch = Prepare(connection,
            """
            INSERT INTO epochs (run_id, epoch, steps, train_loss, train_accuracy, test_loss, test_accuracy, learning_rate)
            VALUES (@run, @epoch, @steps, @tl, @ta, @vl, @va, @lr)
            ON CONFLICT (run_id, epoch) DO UPDATE SET steps = excluded.steps, train_loss = excluded.train_loss,
                train_accuracy = excluded.train_accuracy, test_loss = excluded.test_loss, test_accuracy = excluded.test_accuracy,
                learning_rate = excluded.learning_rate
            """,
            runId, "@epoch", "@steps", "@tl", "@ta", "@vl", "@va", "@lr");
    }

    public int Layers { get; }

    /// <summary>Bytes of one step's statistics BLOB for <paramref name="layers"/> layers.</summary>
    public static int BlobBytes(int layers) => LayerStatNames.Count * layers * sizeof(double);

    /// <summary>Recorded index <paramref name="step"/> of <paramref name="trace"/> as a statistics BLOB.</summary>
    public static byte[] Encode(Trace trace, int step)
    {
        var blob = new byte[BlobBytes(trace.LayerCount)];
        for (int stat = 0; stat < LayerStatNames.Count; stat++)
        {
            var values = trace.AtStep((LayerStat)stat, step);
            for (int l = 0; l < values.Length; l++)
                BinaryPrimitives.WriteDoubleLittleEndian(blob.AsSpan(((stat * values.Length) + l) * sizeof(double)), values[l]);
        }

        return blob;
    }

    /// <summary>Statistics laid out <c>[LayerStat][layer]</c> as a BLOB.</summary>
    public static byte[] Encode(ReadOnlySpan<double> values)
    {
        var blob = new byte[values.Length * sizeof(double)];
        Encode(values, blob);
        return blob;
    }

    /// <summary>Decodes a statistics BLOB into <paramref name="values"/> (<c>[LayerStat][layer]</c>).</summary>
    public static void Decode(ReadOnlySpan<byte> blob, Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(blob[(i * sizeof(double))..]);
    }

    public void Insert(int index, int stepNumber, double loss, double learningRate, double wallSeconds, ReadOnlySpan<byte> stats) =>
        _step.Insert(index, stepNumber, loss, learningRate, wallSeconds, stats);

    /// <summary>Statistics laid out <c>[LayerStat][layer]</c> into <paramref name="blob"/> (reused by the writer for every row: SQLite copies it when the row is inserted).</summary>
    public static void Encode(ReadOnlySpan<double> values, byte[] blob)
    {
        if (BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(blob);
            return;
        }

        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(blob.AsSpan(i * sizeof(double)), values[i]);
    }

    /// <summary>Ends the step rows' batch; histograms and epochs, and the caller's statements, may follow.</summary>
    public void CompleteSteps() => _step.Complete();

    public void InsertHistogram(HistogramRecord histogram)
    {
        _step.Complete();
        var counts = new byte[histogram.Counts.Length * sizeof(int)];
        for (int i = 0; i < histogram.Counts.Length; i++)
            BinaryPrimitives.WriteInt32LittleEndian(counts.AsSpan(i * sizeof(int)), histogram.Counts[i]);
        Set(_histogram, histogram.Step, histogram.Layer, histogram.Kind == HistogramKind.Gradient ? "gradient" : "activation", counts);
        _histogram.ExecuteNonQuery();
    }

    public void InsertEpoch(EpochResult e)
    {
        _step.Complete();
        Set(_epoch, e.Epoch, e.Steps, e.TrainLoss, e.TrainAccuracy, e.TestLoss, e.TestAccuracy, e.LearningRate);
        _epoch.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _step.Dispose();
        _histogram.Dispose();
        _epoch.Dispose();
    }

    private static DbCommand Prepare(DbConnection connection, string sql, string runId, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        RunStore.AddParameter(command, "@run", runId);
        foreach (string name in names)
            RunStore.AddParameter(command, name, null);
        return command;
    }

    // Parameters after @run, in order; NaN is stored as NULL.
    private static void Set(DbCommand command, params object[] values)
    {
        for (int i = 0; i < values.Length; i++)
            command.Parameters[i + 1].Value = values[i] is double d && double.IsNaN(d) ? DBNull.Value : values[i];
    }
}
