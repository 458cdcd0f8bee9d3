using System.Text.Json;
using Gradscope.Cli.Output;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>Per-layer statistics as a table or as the JSON object <c>inspect --json</c> prints.</summary>
internal static class LayerReport
{
    public static void Table(Terminal terminal, string network, Dataset data, InspectionResult result, InspectionMode mode, NetworkFacts? facts = null)
    {
        terminal.Line($"[bold]Gradscope inspect[/]  network {Markup.Escape(network)}, {data.Count} rows of {Markup.Escape(data.Name)}, {ModeName(mode)} mode");
        // The pass scores a regression task's targets by their mean squared error (Inspection.Run).
        string loss = data.Regression is null ? "mean softmax cross-entropy" : "mean squared error";
        terminal.Text($"loss ({loss}): {result.Loss:G6}");
        var table = Terminal.NewTable(terminal.Plain, "layer", "grad_norm", "bias_grad_norm", "delta_rms", "act_mean", "act_std", "flat region");
        for (int i = 0; i < result.Layers.Count; i++)
        {
            var layer = result.Layers[i];
            table.AddRow(Markup.Escape(Label(i, layer.Name)), Format.Sci(layer.GradNorm), Format.Sci(layer.BiasGradNorm), Format.Sci(layer.DeltaRms),
                Format.Fixed(layer.ActMean), Format.Fixed(layer.ActStd), FlatRegion(layer.Saturated, facts is not null && i < facts.Layers.Count ? facts.Layers[i].Activation : null));
        }

        terminal.Write(table);
    }

    /// <summary>
    /// The share of units where the activation's derivative is (nearly) zero, in the activation's own
    /// words: "inactive" for the ReLU family, whose flat side is off rather than saturated; "saturated"
    /// for the others; no word for the output layer, which has no activation.
    /// </summary>
    public static string FlatRegion(double fraction, Activations.Activation? activation)
    {
        string percent = Format.Percent(fraction);
        if (activation is null || percent == "-")
            return percent;
        return percent + (activation.IsReluFamily ? " inactive" : " saturated");
    }

    public static void Json(TextWriter output, InspectionResult result, InspectionMode mode, RunSpec spec, string model)
    {
        JsonOutput.WriteObject(output, w =>
        {
            DiagnosisJson.WriteSpec(w, spec, model);
            JsonNumbers.Write(w, "loss", result.Loss);
            w.WriteString("mode", ModeName(mode));
            WriteLayers(w, result.Layers);
            w.WriteStartArray("parameters");
            foreach (var parameter in result.Parameters)
            {
                w.WriteStartObject();
                w.WriteString("name", parameter.Name);
                JsonNumbers.Write(w, "grad_norm", parameter.GradNorm);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The <c>"layers"</c> array: per watched layer its identity (<c>"layer"</c> from 1, <c>"name"</c> its module path) and statistics.</summary>
    public static void WriteLayers(Utf8JsonWriter w, IReadOnlyList<LayerStatistics> layers)
    {
        w.WriteStartArray("layers");
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            w.WriteStartObject();
            w.WriteNumber("layer", i + 1);
            w.WriteString("name", layer.Name);
            JsonNumbers.Write(w, "grad_norm", layer.GradNorm);
            JsonNumbers.Write(w, "bias_grad_norm", layer.BiasGradNorm);
            JsonNumbers.Write(w, "delta_rms", layer.DeltaRms);
            JsonNumbers.Write(w, "act_mean", layer.ActMean);
            JsonNumbers.Write(w, "act_std", layer.ActStd);
            JsonNumbers.Write(w, "saturated", layer.Saturated);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary><c>3 (4)</c>: the layer's number from 1 and its module path, for a table's layer column.</summary>
    public static string Label(int index, string name) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{index + 1} ({name})");

    public static string ModeName(InspectionMode mode) => mode == InspectionMode.Train ? "train" : "eval";
}
