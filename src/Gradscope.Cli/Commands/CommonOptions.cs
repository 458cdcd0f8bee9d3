using System.CommandLine;
using System.Numerics;
using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Data.Catalog;
using Gradscope.Diagnostics;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>Options several commands share, and how they become engine settings.</summary>
internal static class CommonOptions
{
    public static Option<string> Dtype() => new("--dtype")
    {
        Description = "Number type: float32 (fast) or float64 (for gradient checks and very deep networks whose gradients underflow float32).",
        DefaultValueFactory = _ => "float32",
    };

    public static Option<int> Seed() => new("--seed")
    {
        Description = "Seed for data, weights and batch order: the same seed gives the same result.",
        DefaultValueFactory = _ => 1,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print exactly one JSON object on stdout instead of tables." };

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Folder with IDX files (MNIST, Fashion-MNIST); else $GRADSCOPE_DATA, else /usr/share/datasets/fashion-mnist.",
    };

    public static Option<string?> Label() => new("--label") { Description = "CSV label column name (default: the last column)." };

    public static Option<string?> ActivationName(string description) => new("--activation") { Description = description };

    public static Option<string?> LoadSpec() => new("--model-spec")
    {
        Description = "JSON model spec describing a model file's network (for a model that is not an nn.Sequential): each layer's \"module\" is its path in the state dict, the output may be {\"units\": N, \"module\": \"head\"}.",
    };

    /// <summary>The model spec file at <paramref name="path"/>, parsed (its errors name the file), or null for none.</summary>
    public static ModelSpecDocument? ReadSpec(string? path, Activation? activation)
    {
        if (path is null)
            return null;
        if (activation is not null)
            throw new UsageException("--activation and --model-spec cannot be used together: the model spec lists the activations.");
        if (!File.Exists(path))
            throw new GradscopeException($"Model spec file '{path}' does not exist.");
        return ModelSpecJson.Parse(File.ReadAllText(path), path);
    }

    public static Option<string> Mode() => new("--mode")
    {
        Description = "train: batch norm uses the batch's statistics and dropout drops (as model.train()); eval: running statistics and no dropout (as model.eval()).",
        DefaultValueFactory = _ => "train",
    };

    public static InspectionMode ParseMode(string mode) => mode.Trim().ToLowerInvariant() switch
    {
        "train" => InspectionMode.Train,
        "eval" => InspectionMode.Eval,
        _ => throw new UsageException($"Unknown --mode '{mode}'. Use train or eval."),
    };

    public static bool IsDouble(string dtype) => dtype.ToLowerInvariant() switch
    {
        "float32" or "float" or "f32" => false,
        "float64" or "double" or "f64" => true,
        _ => throw new UsageException($"Unknown --dtype '{dtype}'. Use float32 or float64."),
    };

    public static Activation ParseActivation(string name)
    {
        if (Activation.TryParse(name, out var activation))
            return activation;
        throw new UsageException($"Unknown activation '{name}'. Valid activations: {string.Join(", ", Activation.Names)}.");
    }

    /// <summary>
    /// Loads a model file and a data set for it: the labels in the model's class order (through the
    /// class names saved with the model, else as class indices; see <see cref="ModelFile.MapLabels"/>)
    /// and the input standardization saved with the model applied; the feature counts must agree.
    /// </summary>
    public static Option<int?> SeqLen() => new("--seq-len")
    {
        Description = "Sequence length T of a sequence task (adding, copy, temporal-order); by default the length the model was trained on (its metadata), else 50.",
    };

    /// <summary>Sequences inspect and diagnose draw from a sequence task when --samples is not given.</summary>
    public const int DefaultSequenceSamples = 512;

    public static Option<int?> Samples() => new("--samples")
    {
        Description = $"Rows to generate: sequences of a sequence task (default {DefaultSequenceSamples}) or rows of a synthetic set.",
    };

    public static (LoadedModel<T> Model, Dataset Data) LoadModelAndData<T>(string modelPath, Activation? activation, ModelSpecDocument? spec, string data, string? label, int seed, int? seqLen = null, int? samples = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!File.Exists(modelPath))
            throw new GradscopeException($"Model file '{modelPath}' does not exist.");
        var loaded = ModelFile.Load<T>(modelPath, activation, spec);
        if (seqLen is not null && !Data.Sequences.SequenceTaskData.IsTask(data))
            throw new UsageException($"--seq-len applies to the sequence tasks (adding, copy, temporal-order), not to --data {data}.");
        CheckTaskLength(data, seqLen);
        var dataset = LoadData(data, new DataOptions { Label = label, Seed = seed, SequenceLength = seqLen ?? LengthFor(loaded.Sequence, data), Count = samples ?? (Data.Sequences.SequenceTaskData.IsTask(data) ? DefaultSequenceSamples : null) });
        if (loaded.Spec.Recurrent is not null)
            loaded = BindSequences(loaded, dataset, data, modelPath);
        int inputs = loaded.Spec.InputWidth;
        if (dataset.FeatureCount != inputs)
            throw new GradscopeException($"Shape mismatch: the data has {Width(dataset)} but the model expects {inputs} inputs{TrainedOn(loaded.Sequence)} (data {data}, model {modelPath}).");
        dataset = ModelFile.MapLabels(dataset, !DatasetCatalog.IsNamedSet(data), loaded.Classes, loaded.Spec.OutputSize, data, modelPath);
        if (loaded.Standardizer is { } standardizer)
            dataset = Standardize(standardizer, dataset, modelPath);
        return (loaded, dataset);
    }

    /// <summary>A <c>--seq-len</c> the task cannot draw (adding needs T of at least 6) is bad usage naming the option.</summary>
    public static void CheckTaskLength(string data, int? seqLen)
    {
        if (seqLen is not { } length || !Data.Sequences.SequenceTaskData.IsTask(data))
            return;
        try
        {
            Data.Sequences.SequenceTasks.Create(data, length);
        }
        catch (GradscopeException ex)
        {
            throw new UsageException($"--seq-len {length}: {ex.Message}");
        }
    }

    // The model's length is the task's only on the task it was trained on (copy's T = 2 means nothing to adding, which needs 6).
    private static int? LengthFor(SequenceShape? trained, string data) =>
        trained is { Task: { } task } && string.Equals(task, data.Trim(), StringComparison.OrdinalIgnoreCase) ? trained.Length : null;

    // A recurrent network reads sequences of any length, with the features per step it was built for.
    private static LoadedModel<T> BindSequences<T>(LoadedModel<T> loaded, Dataset dataset, string data, string modelPath)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dataset.Sequence is not { } sequence)
            throw new GradscopeException($"Shape mismatch: the model's first layer is {loaded.Spec.Recurrent!.Cell}, which reads sequences, but {data} holds flat rows (model {modelPath}); give a sequence task or an .npz/.safetensors file with x [N, T, F].");
        if (sequence.Features != loaded.Spec.InputSize)
            throw new GradscopeException($"Shape mismatch: the data has {sequence.Features} features per step but the model expects {loaded.Spec.InputSize}{TrainedOn(loaded.Sequence)} (data {data}, model {modelPath}).");
        return loaded.WithSteps(sequence.Steps);
    }

    // A dense network reads a sequence flat: its width is steps times features.
    private static string Width(Dataset dataset) => dataset.Sequence is { } s
        ? $"sequences of {s.Steps} steps x {s.Features} features ({dataset.FeatureCount} values per row)"
        : $"{dataset.FeatureCount} features";

    private static string TrainedOn(SequenceShape? sequence) =>
        sequence is null ? string.Empty : $", trained on {(sequence.Task is { } task ? task + " " : string.Empty)}sequences of {sequence.Steps} steps x {sequence.Features} features";

    // The statistics come from the model file, so a value they cannot standardize is the file's fault.
    private static Dataset Standardize(Standardizer standardizer, Dataset dataset, string modelPath)
    {
        try
        {
            return standardizer.Apply(dataset);
        }
        catch (GradscopeException ex)
        {
            throw new GradscopeException($"{modelPath}: metadata '{ModelFile.StandardizationKey}': {ex.Message}", ex);
        }
    }

    /// <summary>The options of a command that reads a model and data: no empty names.</summary>
    public static void CheckModelAndData(string model, string data, string? label)
    {
        OptionChecks.Path(model, "--model");
        OptionChecks.Name(data, "--data");
        OptionChecks.Name(label, "--label");
    }

    /// <summary>Runs <paramref name="parse"/>, turning its <see cref="GradscopeException"/> into bad usage (exit code 2).</summary>
    public static TResult AsUsage<TResult>(Func<TResult> parse)
    {
        try
        {
            return parse();
        }
        catch (GradscopeException ex) when (ex is not Memory.MemoryLimitException)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>Loads a named set or a data file (CSV, .npz, .safetensors), with a clear message when the path does not exist.</summary>
    public static Dataset LoadData(string nameOrPath, DataOptions options)
    {
        bool looksLikePath = nameOrPath.Contains('/', StringComparison.Ordinal) || nameOrPath.Contains('.', StringComparison.Ordinal);
        if (looksLikePath && !File.Exists(nameOrPath) && !Directory.Exists(nameOrPath))
            throw new GradscopeException($"Data file '{nameOrPath}' does not exist.");
        return DatasetCatalog.Load(nameOrPath, options);
    }
}
