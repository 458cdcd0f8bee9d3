using System.Text.Json;

namespace Gradscope.Training;

/// <summary>Writing the JSON model spec (the format <see cref="ModelSpecJson.Parse"/> reads).</summary>
public static partial class ModelSpecJson
{
    /// <summary>
    /// Writes a spec in the format <see cref="Parse"/> reads; <paramref name="type"/>, when given, is
    /// written first as <c>"type"</c>; with <paramref name="outputModule"/> the output is written as
    /// <c>{"units": ..., "module": ...}</c>.
    /// </summary>
    public static string Write(int? input, IReadOnlyList<LayerSpec> layers, int? output, string? type = null, string? outputModule = null) =>
        Write(input, layers, output, type, outputModule, withModules: true);

    /// <summary>The layout alone, without module paths: what two layouts must share to be the same layers.</summary>
    internal static string WriteStructure(IReadOnlyList<LayerSpec> layers) => Write(null, layers, null, null, null, withModules: false);

    private static string Write(int? input, IReadOnlyList<LayerSpec> layers, int? output, string? type, string? outputModule, bool withModules)
    {
        ArgumentNullException.ThrowIfNull(layers);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            if (type is not null)
                writer.WriteString("type", type);
            if (input is { } i)
                writer.WriteNumber("input", i);
            WriteLayers(writer, layers, withModules);
            WriteOutput(writer, output, outputModule);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteOutput(Utf8JsonWriter writer, int? output, string? outputModule)
    {
        if (outputModule is null)
        {
            if (output is { } o)
                writer.WriteNumber("output", o);
            return;
        }

        writer.WriteStartObject("output");
        if (output is { } units)
            writer.WriteNumber("units", units);
        writer.WriteString(ModuleKey, outputModule);
        writer.WriteEndObject();
    }

    private static void WriteLayers(Utf8JsonWriter writer, IReadOnlyList<LayerSpec> layers, bool withModules)
    {
        writer.WriteStartArray("layers");
        foreach (var layer in layers)
        {
            writer.WriteStartObject();
            writer.WriteString("type", layer.Type);
            if (withModules && layer.Module is { } module)
                writer.WriteString(ModuleKey, module);
            switch (layer)
            {
                case DenseSpec dense:
                    writer.WriteNumber("units", dense.Units);
                    if (dense.Init is { } init)
                        writer.WriteString("init", init.ToSpec());
                    break;
                case ActivationSpec activation:
                    writer.WriteString("name", activation.Activation.Name);
                    break;
                case DropoutSpec dropout:
                    writer.WriteNumber("p", dropout.Probability);
                    break;
                case ResidualSpec residual:
                    WriteLayers(writer, residual.Layers, withModules);
                    break;
                case RecurrentSpec recurrent:
                    writer.WriteNumber("hidden", recurrent.Hidden);
                    writer.WriteString("sequence", recurrent.SequenceName);
                    if (recurrent.Cell == "rnn")
                        writer.WriteString("activation", recurrent.Nonlinearity);
                    if (recurrent.ForgetBias is { } bias)
                        writer.WriteNumber("forget_bias", bias);
                    if (recurrent.InputBias is { } input)
                        writer.WriteNumber("input_bias", input);
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
