using System.Text.Json;
using Gradscope.Cli.Output;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>Per-layer statistics as a table or as the JSON object <c>inspect --json</c> prints.</summary>
internal static class LayerReport
{
    public static void Table(Terminal terminal, string network, Dataset data, InspectionResult result)
    {
        terminal.Line($"[bold]Gradscope inspect[/]  network {Markup.Escape(network)}, {data.Count} rows of {Markup.Escape(data.Name)}");
        terminal.Text($"loss (mean softmax cross-entropy): {result.Loss:G6}");
        var table = Terminal.NewTable(terminal.Plain, "layer", "grad_norm", "bias_grad_norm", "delta_rms", "act_mean", "act_std", "saturated");
        foreach (var layer in result.Layers)
        {
            table.AddRow(layer.Name, Format.Sci(layer.GradNorm), Format.Sci(layer.BiasGradNorm), Format.Sci(layer.DeltaRms),
                Format.Fixed(layer.ActMean), Format.Fixed(layer.ActStd), Format.Percent(layer.Saturated));
        }

        terminal.Write(table);
    }

    public static void Json(TextWriter output, InspectionResult result)
    {
        JsonOutput.WriteObject(output, w =>
        {
            JsonNumbers.Write(w, "loss", result.Loss);
            w.WriteStartArray("layers");
            foreach (var layer in result.Layers)
                WriteLayer(w, layer);
            w.WriteEndArray();
        });
    }

    public static void WriteLayer(Utf8JsonWriter w, LayerStatistics layer)
    {
        w.WriteStartObject();
        w.WriteString("name", layer.Name);
        JsonNumbers.Write(w, "grad_norm", layer.GradNorm);
        JsonNumbers.Write(w, "bias_grad_norm", layer.BiasGradNorm);
        JsonNumbers.Write(w, "delta_rms", layer.DeltaRms);
        JsonNumbers.Write(w, "act_mean", layer.ActMean);
        JsonNumbers.Write(w, "act_std", layer.ActStd);
        JsonNumbers.Write(w, "saturated", layer.Saturated);
        w.WriteEndObject();
    }
}
