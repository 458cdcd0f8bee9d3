using System.Numerics;
using System.Text.Json;
using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Layers;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Serialization;

/// <summary>
/// A network in a safetensors file, with tensor names as PyTorch's <c>nn.Sequential</c> state dict
/// writes them (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, ...: activations take an index
/// too) and the architecture in <c>__metadata__</c>. A file PyTorch wrote from
/// <c>nn.Sequential(Linear, Act, ..., Linear)</c> loads when the caller names the activation.
/// </summary>
/// <remarks>
/// Tensors per layer, under the layer's module path (see <see cref="LayerTree"/>): a dense layer
/// <c>weight [out, in]</c> and <c>bias [out]</c>; a batch norm <c>weight [n]</c>, <c>bias [n]</c>,
/// <c>running_mean [n]</c>, <c>running_var [n]</c> and <c>num_batches_tracked []</c> (I64); a layer
/// norm <c>weight [n]</c> and <c>bias [n]</c>; a residual block its body under <c>body.</c> and its
/// projection under <c>proj.</c> (<c>3.body.0.weight</c>, <c>3.proj.weight</c>); any other layer its
/// parameters by name, one-row ones as vectors. The architecture metadata of a plain dense network
/// is <c>{"type":"dense","input":2,"hidden":[32,32],"output":3,"activation":"relu"}</c> as it always
/// was; flag layouts add <c>"norm"</c> (<c>batch</c>, <c>layer</c>), <c>"residual"</c>
/// (<c>pre-activation</c>, <c>post-activation</c>) and <c>"dropout"</c> when set; a layer list is
/// written as its JSON model spec with <c>"type":"spec"</c> (see <see cref="ModelSpecJson"/>).
/// </remarks>
public static partial class ModelFile
{
    /// <summary>Metadata key holding the architecture as JSON.</summary>
    public const string ArchitectureKey = "gradscope.architecture";

    /// <summary>Metadata key holding the input standardization (per-feature mean and std) as JSON.</summary>
    public const string StandardizationKey = "gradscope.standardization";

    /// <summary>
    /// Metadata key set to <c>"true"</c> when the model was saved from a run that was interrupted
    /// (Ctrl-C) before its budget was used up; absent otherwise.
    /// </summary>
    public const string InterruptedKey = "gradscope.interrupted";

    /// <summary>Writes <paramref name="network"/> (built from <paramref name="spec"/>) to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="spec">The network's architecture, written to the metadata.</param>
    /// <param name="network">The network whose tensors are written.</param>
    /// <param name="standardizer">The input standardization it was trained with, if any.</param>
    /// <param name="classes">The label of each class in class-index order (see <see cref="ClassesKey"/>), if the training data named them; one per output.</param>
    public static void Save<T>(string path, NetworkSpec spec, Sequential<T> network, Standardizer? standardizer = null, IReadOnlyList<string>? classes = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SafetensorsFile.Write(path, StateDict(network), SaveMetadata(spec, standardizer, classes, interrupted: false));
    }

    /// <summary>
    /// Writes <paramref name="network"/> (built from <paramref name="spec"/>) as a safetensors file to
    /// <paramref name="destination"/>, which the caller chose and makes atomic if it needs to.
    /// <paramref name="interrupted"/> marks a model whose training was stopped early
    /// (<see cref="InterruptedKey"/>).
    /// </summary>
    public static void Save<T>(Stream destination, string destinationName, NetworkSpec spec, Sequential<T> network, Standardizer? standardizer = null, IReadOnlyList<string>? classes = null, bool interrupted = false, SequenceShape? sequence = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SafetensorsFile.Write(destination, StateDict(network), SaveMetadata(spec, standardizer, classes, interrupted, sequence), destinationName);
    }

    private static Dictionary<string, string> SaveMetadata(NetworkSpec spec, Standardizer? standardizer, IReadOnlyList<string>? classes, bool interrupted, SequenceShape? sequence = null)
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [ArchitectureKey] = ArchitectureJson(spec),
        };
        if (standardizer is not null)
            metadata[StandardizationKey] = StandardizationJson(standardizer);
        if (classes is not null)
            metadata[ClassesKey] = ClassesJson(classes, spec.OutputSize);
        if (interrupted)
            metadata[InterruptedKey] = "true";
        // A dense network trained on a sequence task reads its rows flat, but the task and length
        // still say how to draw data it fits, so inspect and diagnose need no --seq-len either.
        if ((sequence ?? (spec.Recurrent is null ? null : new SequenceShape(spec.Steps, spec.InputSize))) is { } shape)
            metadata[SequenceKey] = SequenceJson(shape);
        return metadata;
    }

    /// <summary>
    /// Reads a network. <paramref name="activation"/> overrides the activation of the file's metadata
    /// and fills the activation places of a file PyTorch wrote from an <c>nn.Sequential</c> (see
    /// <see cref="TorchSequential"/>); a file whose metadata lists its layers takes no override.
    /// <paramref name="spec"/>, when given, describes the network instead of the file (its layers'
    /// module paths name the tensors); sizes it leaves out are read from the tensors.
    /// </summary>
    /// <exception cref="GradscopeException">
    /// The file is malformed, its tensors do not fit its architecture or hold a non-finite value (or a
    /// negative batch-norm variance), or its metadata contradicts its tensors.
    /// </exception>
    public static LoadedModel<T> Load<T>(string path, Activation? activation = null, ModelSpecDocument? spec = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        LoadFile<T>(ReadFile(path), path, activation, spec);

    /// <summary>
    /// Reads a network from the bytes of a safetensors file Gradscope wrote (its metadata describes
    /// the layers): a model kept in memory or in a database rather than in a file.
    /// <paramref name="sourceName"/> names it in messages.
    /// </summary>
    /// <exception cref="GradscopeException">The bytes are malformed or do not describe a network (as for <see cref="Load{T}(string, Activation?, ModelSpecDocument?)"/>).</exception>
    public static LoadedModel<T> Load<T>(ReadOnlySpan<byte> bytes, string sourceName)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        LoadFile<T>(SafetensorsFile.Read(bytes, sourceName), sourceName, null, null);

    private static LoadedModel<T> LoadFile<T>(SafetensorsFile file, string path, Activation? activation, ModelSpecDocument? spec)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckValues<T>(file, path);
        NetworkSpec described;
        string architecture;
        if (spec is not null)
        {
            if (activation is not null)
                throw new GradscopeException($"A model spec lists its layers, activations included; an activation given with it for {path} cannot override them.");
            (described, architecture) = (FromSpec(spec, file, path), "the model spec");
        }
        else if (DescribedSpec(file, activation, path) is { } fromMetadata)
        {
            (described, architecture) = (fromMetadata, "the architecture in the file's metadata");
        }
        else
        {
            activation ??= ActivationFromMetadata(file, path);
            (described, architecture) = (TorchSequential.Infer(file, activation, path), "the layers its tensors describe");
            CheckDenseMetadata(file, described, path);
        }

        var network = described.BuildUninitialized<T>();
        LoadStateDict(network, file, path, architecture);
        var sequence = ReadSequence(file, path);
        if (sequence is not null && described.Recurrent is null)
            CheckFlatSequence(sequence, described.InputWidth, path);
        else if (sequence is not null)
        {
            described = described with { Steps = sequence.Steps };
            Recurrent.SequenceLayer<T>.SetSteps(network, sequence.Steps);
        }

        return new LoadedModel<T>(described, network, ReadStandardization(file, described.InputWidth, path), ReadClasses(file, described.OutputSize, path)) { Sequence = sequence };
    }

    private static Activation? ActivationFromMetadata(SafetensorsFile file, string path)
    {
        if (!file.Metadata.TryGetValue(ArchitectureKey, out var json))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("activation", out var name) && name.ValueKind == JsonValueKind.String)
                return Activation.Parse(name.GetString()!);
        }
        catch (JsonException ex)
        {
            throw new GradscopeException($"{path}: metadata '{ArchitectureKey}' is not valid JSON: {ex.Message}", ex);
        }
        catch (GradscopeException ex)
        {
            throw new GradscopeException($"{path}: metadata '{ArchitectureKey}': {ex.Message}", ex);
        }

        throw new GradscopeException($"{path}: metadata '{ArchitectureKey}' has no \"activation\" string.");
    }

    private static string ArchitectureJson(NetworkSpec spec)
    {
        if (spec.Layers is not null)
            return ModelSpecJson.Write(spec.InputSize, spec.Layers, spec.OutputSize, ModelSpecJson.SpecType, spec.OutputModule);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "dense");
            writer.WriteNumber("input", spec.InputSize);
            writer.WriteStartArray("hidden");
            foreach (int size in spec.HiddenSizes)
                writer.WriteNumberValue(size);
            writer.WriteEndArray();
            writer.WriteNumber("output", spec.OutputSize);
            writer.WriteString("activation", spec.Activation.Name);
            if (spec.Norm != NormKind.None)
                writer.WriteString("norm", spec.Norm == NormKind.Batch ? "batch" : "layer");
            if (spec.Residual != ResidualStyle.None)
                writer.WriteString("residual", spec.Residual == ResidualStyle.PreActivation ? PreActivation : PostActivation);
            if (spec.Dropout > 0)
                writer.WriteNumber("dropout", spec.Dropout);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string StandardizationJson(Standardizer standardizer) =>
        JsonSerializer.Serialize(new StandardizationRecord([.. standardizer.Means], [.. standardizer.Deviations]), StandardizationContext.Default.StandardizationRecord);

    private static Standardizer? ReadStandardization(SafetensorsFile file, int features, string path)
    {
        if (!file.Metadata.TryGetValue(StandardizationKey, out var json))
            return null;
        StandardizationRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(json, StandardizationContext.Default.StandardizationRecord);
        }
        catch (JsonException ex)
        {
            throw new GradscopeException($"{path}: metadata '{StandardizationKey}' is not valid JSON: {ex.Message}", ex);
        }

        if (record?.Mean is null || record.Std is null || record.Mean.Length != features || record.Std.Length != features)
            throw new GradscopeException($"{path}: metadata '{StandardizationKey}' must hold 'mean' and 'std' arrays of {features} numbers.");
        try
        {
            return new Standardizer(record.Mean, record.Std);
        }
        catch (GradscopeException ex)
        {
            throw new GradscopeException($"{path}: metadata '{StandardizationKey}': {ex.Message}", ex);
        }
    }
}

/// <summary>
/// A network read from a file, its architecture, the input standardization it was trained with (if
/// any) and its class names (<see cref="ModelFile.ClassesKey"/>; null when the file names none).
/// </summary>
public sealed record LoadedModel<T>(NetworkSpec Spec, Sequential<T> Network, Standardizer? Standardizer, IReadOnlyList<string>? Classes = null)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>For a recurrent network: the sequences it was trained on, from the file's metadata; null when it does not say.</summary>
    public SequenceShape? Sequence { get; init; }

    /// <summary>
    /// This model bound to sequences of <paramref name="steps"/> steps (a recurrent network's weights
    /// take any length); the same model for a feed-forward network.
    /// </summary>
    public LoadedModel<T> WithSteps(int steps)
    {
        if (Spec.Recurrent is null)
            return this;
        Recurrent.SequenceLayer<T>.SetSteps(Network, steps);
        return this with { Spec = Spec with { Steps = steps } };
    }
}

internal sealed record StandardizationRecord(double[] Mean, double[] Std);

[System.Text.Json.Serialization.JsonSerializable(typeof(StandardizationRecord))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class StandardizationContext : System.Text.Json.Serialization.JsonSerializerContext;
