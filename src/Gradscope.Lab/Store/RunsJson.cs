using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Store;

/// <summary>
/// A stored run as <c>runs list --json</c> (an array of these) and <c>runs show --json</c> print it:
/// <c>id, name, kind, parent, status, error, steps, started, ended, data{name,path,size,sha256},
/// tags[], loss, train_accuracy, test_accuracy, version, host, spec</c>; show adds layers and findings.
/// The dashboard's <c>GET /api/runs</c> answers with the same objects, so both share this writer.
/// </summary>
public static class RunsJson
{
    /// <summary>Writes <paramref name="runs"/> as an indented JSON array and a newline.</summary>
    public static void WriteArray(TextWriter output, IReadOnlyList<RunSummary> runs)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteArray(w, runs);

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Writes <paramref name="runs"/> as a JSON array value.</summary>
    public static void WriteArray(Utf8JsonWriter w, IReadOnlyList<RunSummary> runs)
    {
        w.WriteStartArray();
        foreach (var run in runs)
        {
            w.WriteStartObject();
            WriteSummary(w, run);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Writes the members of one run's object (the caller opens and closes it).</summary>
    public static void WriteSummary(Utf8JsonWriter w, RunSummary summary) => WriteSummary(w, summary, null);

    /// <summary>
    /// Writes the members of one run's object with <paramref name="liveStatus"/> (a process that
    /// trains the run knows it is paused; the store says running) in place of the stored status when given.
    /// </summary>
    public static void WriteSummary(Utf8JsonWriter w, RunSummary summary, string? liveStatus)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var run = summary.Record;
        w.WriteString("id", run.Id);
        w.WriteString("name", run.Name);
        w.WriteString("kind", run.Kind);
        w.WriteString("parent", run.ParentId);
        w.WriteString("status", liveStatus ?? RunStore.StatusName(run.Status));
        w.WriteString("error", run.Error);
        w.WriteNumber("steps", summary.Steps);
        w.WriteString("started", RunStore.Timestamp(run.Started));
        if (run.Ended is { } ended)
            w.WriteString("ended", RunStore.Timestamp(ended));
        else
            w.WriteNull("ended");
        WriteData(w, run.Data);
        w.WriteStartArray("tags");
        foreach (string tag in run.Tags)
            w.WriteStringValue(tag);
        w.WriteEndArray();
        JsonNumbers.Write(w, "loss", run.Final.Loss);
        JsonNumbers.Write(w, "train_accuracy", run.Final.TrainAccuracy);
        JsonNumbers.Write(w, "test_accuracy", run.Final.TestAccuracy);
        w.WriteString("version", run.Version);
        w.WriteString("host", run.Host);
        w.WritePropertyName("spec");
        if (run.Spec is null)
            w.WriteNullValue();
        else
            RunSpecJson.Write(w, run.Spec);
    }

    /// <summary>Writes the run's data identity as the property <c>data</c> (name, path, size, sha256), null when unknown.</summary>
    public static void WriteData(Utf8JsonWriter w, DataIdentity? data)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (data is null)
        {
            w.WriteNull("data");
            return;
        }

        w.WriteStartObject("data");
        w.WriteString("name", data.Name);
        w.WriteString("path", data.Path);
        if (data.Size is { } size)
            w.WriteNumber("size", size);
        else
            w.WriteNull("size");
        w.WriteString("sha256", data.Sha256);
        w.WriteEndObject();
    }
}
