using Gradscope.Data.Arrays;
using Gradscope.Memory;

namespace Gradscope.Data.Catalog;

/// <summary>
/// Loads a data set by name (<c>spiral</c>, <c>moons</c>, <c>circles</c>, <c>xor</c>,
/// <c>checkerboard</c>, <c>blobs</c>, <c>teacher</c>, <c>digits</c>, <c>fashion-mnist</c>,
/// <c>mnist</c>) or from a file: CSV, or arrays in <c>.npz</c> or <c>.safetensors</c> (see
/// <see cref="ArrayDataFile"/>). Names are case-insensitive.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>The Fashion-MNIST class names, indexed by label.</summary>
    public static IReadOnlyList<string> FashionMnistClasses { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The names <see cref="Load"/> accepts besides CSV paths.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["spiral", "moons", "circles", "xor", "checkerboard", "blobs", "teacher", "digits", "fashion-mnist", "mnist", "adding", "copy", "temporal-order"];

    /// <summary>The sequence length of a sequence task when none is given.</summary>
    public const int DefaultSequenceLength = 50;

    /// <summary>Loads the named set, or reads <paramref name="nameOrPath"/> as a data file.</summary>
    /// <param name="nameOrPath">One of <see cref="Names"/>, or a path to a <c>.npz</c> or <c>.safetensors</c> file of arrays <c>x [N, F]</c> and <c>y [N]</c>, or else a CSV file (<c>.csv</c>, <c>.csv.gz</c>, or any existing file).</param>
    /// <param name="options">Size, noise, seed, data directory...; <see cref="DataOptions.Default"/> when null.</param>
    /// <exception cref="GradscopeException">The name is unknown (the message lists the valid ones), an option does not fit the set, or the data is missing or malformed.</exception>
    public static Dataset Load(string nameOrPath, DataOptions? options = null)
    {
        options ??= DataOptions.Default;
        if (Synthetic(nameOrPath, options) is { } set)
        {
            set.Validate();
            MemoryBudget.Ensure(ByteCounts.DataSet(set.Count, set.Dimensions), $"the {set.Name} data set of {set.Count} rows");
            return set.Generate(options.Seed);
        }

        if (Sequences.SequenceTaskData.IsTask(nameOrPath))
        {
            int samples = options.Count ?? Sequences.SequenceTaskData.DefaultSamples;
            int length = options.SequenceLength ?? DefaultSequenceLength;
            EnsureTaskFits(Sequences.SequenceTaskData.RowTask(nameOrPath, length), samples);
            return Sequences.SequenceTaskData.Create(nameOrPath, length, samples, options.Seed);
        }

        return nameOrPath.ToLowerInvariant() switch
        {
            "digits" => Digits.Load(),
            "fashion-mnist" => LoadIdx("fashion-mnist", FashionMnistClasses, options),
            "mnist" => LoadIdx("mnist", Dataset.NumberedNames(string.Empty, 10), options),
            _ => LoadFile(nameOrPath, options),
        };
    }

    // A task's rows are its longest draw (the copy task: T + 20 steps) times its features per step,
    // and a draw holds them twice: the generator's batch and the rows it is copied into.
    private static void EnsureTaskFits(Sequences.ISequenceTask task, int samples)
    {
        long values = ByteCounts.Product(2, task.MaxLength, task.InputSize);
        MemoryBudget.Ensure(
            ByteCounts.Sum(ByteCounts.DataSet(samples, values), ByteCounts.Product(samples, task.MaxLength, sizeof(int))),
            $"the {task.Name} task of {samples} sequences of {task.MaxLength} steps x {task.InputSize} features");
    }

    /// <summary>True for the generated sets (spiral ... teacher), whose every option is the caller's choice.</summary>
    public static bool IsSynthetic(string name) => Synthetic(name, DataOptions.Default) is not null;

    /// <summary>
    /// Checks the options of a generated set (count, classes, noise, dimensions, the size of its
    /// arrays) without generating it; nothing for other sets.
    /// </summary>
    /// <exception cref="GradscopeException">An option does not fit the set.</exception>
    public static void CheckSynthetic(string name, DataOptions options) => Synthetic(name, options)?.Validate();

    private static SyntheticSet? Synthetic(string name, DataOptions o) => name.ToLowerInvariant() switch
    {
        "spiral" => new("spiral", Count(o, 300 * Classes(o)), Classes(o), 2, o.Noise ?? 0.2),
        "moons" => new("moons", Count(o, 1000), 2, 2, Planar("moons", o, 0.1)),
        "circles" => new("circles", Count(o, 1000), 2, 2, Planar("circles", o, 0.05)),
        "xor" => new("xor", Count(o, 1000), 2, 2, Planar("xor", o, 0.1)),
        "checkerboard" => new("checkerboard", Count(o, 2000), 2, 2, Planar("checkerboard", o, 0.0)),
        "blobs" => new("blobs", Count(o, 300 * Classes(o)), Classes(o), o.Dimensions ?? 2, o.Noise ?? 1.0),
        "teacher" => new("teacher", Count(o, 2000), Classes(o), o.Dimensions ?? 10, o.Noise ?? 0.0),
        _ => null,
    };

    /// <summary>A generated set's resolved settings.</summary>
    private sealed record SyntheticSet(string Name, int Count, int Classes, int Dimensions, double Noise)
    {
        public void Validate() => SyntheticData.Validate(Name, Count, Classes, Dimensions, Noise);

        public Dataset Generate(int seed) => Name switch
        {
            "spiral" => SyntheticData.Spiral(Count, Classes, Noise, seed),
            "moons" => SyntheticData.Moons(Count, Noise, seed),
            "circles" => SyntheticData.Circles(Count, Noise, seed),
            "xor" => SyntheticData.Xor(Count, Noise, seed),
            "checkerboard" => SyntheticData.Checkerboard(Count, Noise, seed),
            "blobs" => SyntheticData.Blobs(Count, Classes, Dimensions, Noise, seed),
            _ => SyntheticData.Teacher(Count, Classes, Dimensions, Noise, seed),
        };
    }

    /// <summary>
    /// True when <paramref name="nameOrPath"/> names a built-in set (one of <see cref="Names"/>), whose
    /// labels are class indices; false for a file, whose class names are the labels' text.
    /// </summary>
    public static bool IsNamedSet(string nameOrPath)
    {
        foreach (string name in Names)
        {
            if (string.Equals(name, nameOrPath, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    /// <summary>
    /// The official test set of <paramref name="nameOrPath"/>, or null when it has none: for
    /// <c>mnist</c> and <c>fashion-mnist</c>, the <c>t10k-*</c> files beside the training files,
    /// when they are there (at most <see cref="DataOptions.Limit"/> rows, as for the training files).
    /// </summary>
    /// <exception cref="GradscopeException">The training files are missing, or the test files are malformed.</exception>
    public static Dataset? LoadOfficialTest(string nameOrPath, DataOptions? options = null)
    {
        options ??= DataOptions.Default;
        string setName = nameOrPath.ToLowerInvariant();
        if (setName is not ("fashion-mnist" or "mnist"))
            return null;
        string? environment = Environment.GetEnvironmentVariable(IdxLocator.EnvironmentVariable);
        (string trainImages, _) = IdxLocator.Find(setName, train: true, options.DataDir, environment);
        if (IdxLocator.FindTest(trainImages) is not { } test)
            return null;
        var classNames = setName == "mnist" ? Dataset.NumberedNames(string.Empty, 10) : FashionMnistClasses;
        return IdxReader.Read(test.Images, test.Labels, setName + "-test", classNames, options.Limit);
    }

    private static Dataset LoadFile(string path, DataOptions options)
    {
        if (ArrayDataFile.IsArrayPath(path))
            return ArrayDataFile.ReadDataset(path);
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            throw new GradscopeException($"{path} is a single NumPy array; a data file holds the features and the labels together: np.savez('data.npz', x=features, y=labels).");
        bool looksCsv = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase);
        if (looksCsv || File.Exists(path))
            return CsvDataReader.Read(path, options.Label);
        throw new GradscopeException($"Unknown data set '{path}'. Use one of: {string.Join(", ", Names)}; or give the path of a .csv, .npz or .safetensors file.");
    }

    private static Dataset LoadIdx(string setName, IReadOnlyList<string> classNames, DataOptions options)
    {
        string? environment = Environment.GetEnvironmentVariable(IdxLocator.EnvironmentVariable);
        (string images, string labels) = IdxLocator.Find(setName, options.Train, options.DataDir, environment);
        string name = options.Train ? setName : setName + "-test";
        return IdxReader.Read(images, labels, name, classNames, options.Limit);
    }

    private static int Count(DataOptions options, int fallback) => options.Count ?? fallback;

    private static int Classes(DataOptions options) => options.Classes ?? 3;

    /// <summary>The noise of a 2-class, 2-D set, after rejecting options it cannot honour.</summary>
    private static double Planar(string name, DataOptions options, double defaultNoise)
    {
        if (options.Classes is { } classes && classes != 2)
            throw new GradscopeException($"{name} has exactly 2 classes; {classes} were asked for. Spiral, blobs and teacher take a class count.");
        if (options.Dimensions is { } dims && dims != 2)
            throw new GradscopeException($"{name} is 2-dimensional; {dims} dimensions were asked for. Blobs and teacher take a dimension count.");
        return options.Noise ?? defaultNoise;
    }
}
