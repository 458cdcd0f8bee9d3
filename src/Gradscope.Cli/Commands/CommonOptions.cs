using System.CommandLine;
using Gradscope.Activations;
using Gradscope.Data;

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

    /// <summary>Loads a named or CSV data set, with a clear message when the path does not exist.</summary>
    public static Dataset LoadData(string nameOrPath, DataOptions options)
    {
        bool looksLikePath = nameOrPath.Contains('/', StringComparison.Ordinal) || nameOrPath.Contains('.', StringComparison.Ordinal);
        if (looksLikePath && !File.Exists(nameOrPath) && !Directory.Exists(nameOrPath))
            throw new GradscopeException($"Data file '{nameOrPath}' does not exist.");
        return DatasetCatalog.Load(nameOrPath, options);
    }
}
