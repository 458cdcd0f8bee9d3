using System.Globalization;
using System.Text;
using Gradscope.Lab.Runs;
using Parquet;
using Parquet.Schema;

namespace Gradscope.Lab.Exports;

/// <summary>
/// Writes recorded runs as one tidy (long) table, <c>run, step, layer, layer_name, statistic,
/// value</c> (rows: <see cref="TidyRows"/>), so <c>pandas.read_csv</c> or <c>pandas.read_parquet</c>
/// gives a frame ready to pivot or plot.
/// <list type="bullet">
/// <item>CSV: UTF-8, a header row, RFC 4180 quoting; run-level rows leave <c>layer</c> and
/// <c>layer_name</c> empty; numbers round-trip (<c>R</c>), non-finite values are <c>NaN</c>,
/// <c>Infinity</c>, <c>-Infinity</c>.</item>
/// <item>Parquet: columns <c>run</c> (string), <c>step</c> (int32), <c>layer</c> (int32, null for
/// run-level rows), <c>layer_name</c> (string, null likewise), <c>statistic</c> (string),
/// <c>value</c> (double, NaN and infinities as IEEE values); one row group per run.</item>
/// </list>
/// </summary>
public static class TidyExport
{
    /// <summary>The column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["run", "step", "layer", "layer_name", "statistic", "value"];

    /// <summary>Writes <paramref name="runs"/> as CSV to <paramref name="output"/>, which stays open.</summary>
    public static void WriteCsv(IReadOnlyList<RunRecord> runs, Stream output)
    {
        ArgumentNullException.ThrowIfNull(runs);
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(string.Join(',', Columns));
        foreach (var run in runs)
        {
            foreach (var row in TidyRows.Of(run))
            {
                writer.Write(Csv(row.Run));
                writer.Write(',');
                writer.Write(row.Step.ToString(CultureInfo.InvariantCulture));
                writer.Write(',');
                if (row.Layer is { } layer)
                    writer.Write(layer.ToString(CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.Write(Csv(row.LayerName ?? ""));
                writer.Write(',');
                writer.Write(row.Statistic);
                writer.Write(',');
                writer.WriteLine(Number(row.Value));
            }
        }
    }

    /// <summary>Writes <paramref name="runs"/> as Parquet to <paramref name="output"/>, which stays open.</summary>
    public static void WriteParquet(IReadOnlyList<RunRecord> runs, Stream output)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(output);
        if (output.CanSeek)
        {
            WriteParquetAsync(runs, output).GetAwaiter().GetResult();
            return;
        }

        // Parquet writes its footer after seeking back; a pipe gets the finished file.
        using var buffer = new MemoryStream();
        WriteParquetAsync(runs, buffer).GetAwaiter().GetResult();
        buffer.Position = 0;
        buffer.CopyTo(output);
    }

    /// <summary>A value as the CSV writes it.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task WriteParquetAsync(IReadOnlyList<RunRecord> runs, Stream output)
    {
        var run = new DataField<string>("run");
        var step = new DataField<int>("step");
        var layer = new DataField<int?>("layer");
        var layerName = new DataField<string>("layer_name", nullable: true);
        var statistic = new DataField<string>("statistic");
        var value = new DataField<double>("value");
        var schema = new ParquetSchema(run, step, layer, layerName, statistic, value);
        await using var writer = await ParquetWriter.CreateAsync(schema, output).ConfigureAwait(false);
        foreach (var record in runs)
        {
            var rows = new List<TidyRow>(TidyRows.Of(record));
            if (rows.Count == 0)
                continue;
            var runColumn = new string[rows.Count];
            var steps = new int[rows.Count];
            var layers = new int?[rows.Count];
            var names = new string?[rows.Count];
            var statistics = new string[rows.Count];
            var values = new double[rows.Count];
            for (int i = 0; i < rows.Count; i++)
                (runColumn[i], steps[i], layers[i], names[i], statistics[i], values[i]) = rows[i];
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(run, runColumn).ConfigureAwait(false);
            await group.WriteAsync<int>(step, steps).ConfigureAwait(false);
            await group.WriteAsync<int>(layer, layers).ConfigureAwait(false);
            await group.WriteAsync(layerName, names!).ConfigureAwait(false);
            await group.WriteAsync(statistic, statistics).ConfigureAwait(false);
            await group.WriteAsync<double>(value, values).ConfigureAwait(false);
        }
    }
}
