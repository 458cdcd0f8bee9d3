using System.Text.Json;
using Gradscope.Lab.Experiments;
using Gradscope.Lab.Runs;

namespace Gradscope.Cli.Output;

/// <summary>
/// An experiment's result as one JSON object (docs/schemas/experiment-result.v1.schema.json):
/// numbers as numbers, non-finite and missing values as null, text cells as strings.
/// </summary>
internal static class ExperimentJson
{
    public static void Write(TextWriter output, ExperimentResult result, bool quick, int seed, TimeSpan elapsed, IReadOnlyList<string> runIds)
    {
        JsonOutput.WriteObject(output, w =>
        {
            w.WriteString("experiment", result.Experiment);
            w.WriteBoolean("quick", quick);
            w.WriteNumber("seed", seed);
            w.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
            w.WriteString("setup", result.Setup);
            w.WritePropertyName("cells");
            WriteRows(w, result.Cells);
            w.WriteStartArray("tables");
            foreach (var table in result.Tables)
                WriteTable(w, table);
            w.WriteEndArray();
            WriteExpectations(w, result.Expectations);
            WriteStrings(w, "notes", result.Notes);
            WriteStrings(w, "run_ids", runIds);
        });
    }

    private static void WriteTable(Utf8JsonWriter w, ResultTable table)
    {
        w.WriteStartObject();
        w.WriteString("title", table.Title);
        w.WriteStartArray("columns");
        foreach (var column in table.Columns)
        {
            w.WriteStartObject();
            w.WriteString("key", column.Key);
            w.WriteString("header", column.Header);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WritePropertyName("rows");
        WriteRows(w, table);
        w.WriteEndObject();
    }

    // One object per row, keyed by the columns' keys.
    private static void WriteRows(Utf8JsonWriter w, ResultTable table)
    {
        w.WriteStartArray();
        foreach (var row in table.Rows)
        {
            w.WriteStartObject();
            for (int i = 0; i < table.Columns.Count; i++)
                WriteValue(w, table.Columns[i].Key, row[i]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter w, string key, ResultValue value)
    {
        if (value.Style == ValueStyle.Text)
            w.WriteString(key, value.Text);
        else if (value.Style == ValueStyle.Integer && double.IsFinite(value.Number))
            w.WriteNumber(key, (long)value.Number);
        else if (value.IsNumber)
            JsonNumbers.Write(w, key, value.Number);
        else
            w.WriteNull(key);
    }

    private static void WriteExpectations(Utf8JsonWriter w, IReadOnlyList<ExpectationResult> expectations)
    {
        w.WriteStartArray("expectations");
        foreach (var e in expectations)
        {
            w.WriteStartObject();
            w.WriteString("name", e.Name);
            w.WriteBoolean("passed", e.Passed);
            w.WriteString("measured", e.Measured);
            if (e.Paper is not null)
                w.WriteString("paper", e.Paper);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (string value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
