using Gradscope.Data;
using Gradscope.Data.Catalog;

namespace Gradscope.Lab.Experiments;

/// <summary>Loads Fashion-MNIST for <see cref="Glorot2010Experiment"/> as <c>train --data fashion-mnist</c> finds it.</summary>
internal static class Glorot2010Data
{
    /// <summary>The environment variable the IDX search reads after an explicit directory.</summary>
    public const string EnvironmentVariable = "GRADSCOPE_DATA";

    /// <summary>
    /// The training rows the plan asks for and the official test set (t10k), found in
    /// <paramref name="dataDir"/>, else <c>$GRADSCOPE_DATA</c>, else <c>/usr/share/datasets/fashion-mnist</c>.
    /// </summary>
    /// <exception cref="GradscopeException">The files are not there; the message says where it looked and how to get them.</exception>
    public static Glorot2010Rows Load(Glorot2010Plan plan, string? dataDir)
    {
        var options = new DataOptions { DataDir = dataDir, Limit = plan.TrainRows };
        try
        {
            var train = DatasetCatalog.Load("fashion-mnist", options);
            var test = DatasetCatalog.LoadOfficialTest("fashion-mnist", options with { Limit = null })
                ?? throw new GradscopeException("fashion-mnist: the training files were found but not the test files (t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, optionally .gz) beside them.");
            return new Glorot2010Rows(train, test);
        }
        catch (GradscopeException ex)
        {
            throw new GradscopeException(
                $"glorot2010 needs Fashion-MNIST: {ex.Message} A clone of the repository built by CI finds a copy at ../shared/data/fashion-mnist; pass that directory as the data directory.", ex);
        }
    }

    /// <summary>Where the files were looked for, in words, for the Setup line and the notes.</summary>
    public static string Source(string? dataDir)
    {
        if (!string.IsNullOrEmpty(dataDir))
            return dataDir;
        string? environment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return !string.IsNullOrEmpty(environment) ? $"${EnvironmentVariable} ({environment})" : "/usr/share/datasets/fashion-mnist";
    }
}

/// <summary>The training rows (the plan's validation split is carved from them) and the official test set (t10k).</summary>
/// <param name="Train">The rows read from the training files.</param>
/// <param name="Test">The official test set.</param>
internal sealed record Glorot2010Rows(Dataset Train, Dataset Test);
