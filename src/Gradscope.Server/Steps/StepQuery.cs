using System.Buffers.Binary;
using Gradscope.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Gradscope.Server.Steps;

/// <summary>
/// Reads only the statistic slices a request needs from the steps table: its <c>stats</c> BLOB is
/// statistic-major (<c>[statistic][layer]</c> little-endian doubles), so for each statistic one
/// <c>substr()</c> returns the bytes of the selected layers' span and nothing else is decoded.
/// </summary>
internal static class StepQuery
{
    public static StepTable Read(SqliteConnection connection, string runId, int layerCount, StepSelection selection)
    {
        int first = selection.Layers[0], last = selection.Layers[^1];
        int span = last - first + 1;
        using var command = connection.CreateCommand();
        var columns = new List<string>();
        for (int s = 0; s < selection.Stats.Length; s++)
        {
            // substr on a BLOB counts bytes from 1.
            long offset = ((((long)selection.Stats[s] * layerCount) + first) * sizeof(double)) + 1;
            columns.Add($"substr(stats, {offset}, {span * sizeof(double)})");
        }

        command.CommandText = $"SELECT step, loss, learning_rate, {string.Join(", ", columns)} FROM steps WHERE run_id = $id AND step >= $from AND step <= $to ORDER BY idx";
        command.Parameters.AddWithValue("$id", runId);
        command.Parameters.AddWithValue("$from", selection.From);
        command.Parameters.AddWithValue("$to", selection.To);
        var table = new StepTable(selection.Stats, selection.Layers.Length, 256);
        var buffer = new byte[span * sizeof(double)];
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            table.AddRow(reader.GetInt64(0), Real(reader, 1), Real(reader, 2));
            for (int s = 0; s < selection.Stats.Length; s++)
                AddSlice(reader, 3 + s, buffer, first, selection.Layers, table.Values[s]);
        }

        return table;
    }

    private static void AddSlice(SqliteDataReader reader, int column, byte[] buffer, int first, int[] layers, List<double> values)
    {
        long read = reader.IsDBNull(column) ? 0 : reader.GetBytes(column, 0, buffer, 0, buffer.Length);
        foreach (int layer in layers)
        {
            int at = (layer - first) * sizeof(double);
            // A row shorter than the run's layer count (a corrupt or foreign row) reads as missing.
            values.Add(at + sizeof(double) <= read ? BinaryPrimitives.ReadDoubleLittleEndian(buffer.AsSpan(at)) : double.NaN);
        }
    }

    private static double Real(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? double.NaN : reader.GetDouble(column);

    /// <summary>Statistic names for a table's header.</summary>
    public static string Name(LayerStat stat) => LayerStatNames.Of(stat);
}
