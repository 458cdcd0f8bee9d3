namespace Gradscope.Data;

/// <summary>
/// Loads a data set by name (<c>spiral</c>, <c>moons</c>, <c>circles</c>, <c>xor</c>,
/// <c>checkerboard</c>, <c>blobs</c>, <c>teacher</c>, <c>digits</c>, <c>fashion-mnist</c>,
/// <c>mnist</c>) or from a CSV file path. Names are case-insensitive.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>The Fashion-MNIST class names, indexed by label.</summary>
    public static IReadOnlyList<string> FashionMnistClasses { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The names <see cref="Load"/> accepts besides CSV paths.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["spiral", "moons", "circles", "xor", "checkerboard", "blobs", "teacher", "digits", "fashion-mnist", "mnist"];

    /// <summary>Loads the named set, or reads <paramref name="nameOrPath"/> as a CSV file.</summary>
    /// <param name="nameOrPath">One of <see cref="Names"/>, or a path to a <c>.csv</c> (or <c>.csv.gz</c>) file.</param>
    /// <param name="options">Size, noise, seed, data directory...; <see cref="DataOptions.Default"/> when null.</param>
    /// <exception cref="GradscopeException">The name is unknown (the message lists the valid ones), an option does not fit the set, or the data is missing or malformed.</exception>
    public static Dataset Load(string nameOrPath, DataOptions? options = null)
    {
        options ??= DataOptions.Default;
        return nameOrPath.ToLowerInvariant() switch
        {
            "spiral" => SyntheticData.Spiral(Count(options, 300 * Classes(options)), Classes(options), options.Noise ?? 0.2, options.Seed),
            "moons" => SyntheticData.Moons(Count(options, 1000), Planar("moons", options, 0.1), options.Seed),
            "circles" => SyntheticData.Circles(Count(options, 1000), Planar("circles", options, 0.05), options.Seed),
            "xor" => SyntheticData.Xor(Count(options, 1000), Planar("xor", options, 0.1), options.Seed),
            "checkerboard" => SyntheticData.Checkerboard(Count(options, 2000), Planar("checkerboard", options, 0.0), options.Seed),
            "blobs" => SyntheticData.Blobs(Count(options, 300 * Classes(options)), Classes(options), options.Dimensions ?? 2, options.Noise ?? 1.0, options.Seed),
            "teacher" => SyntheticData.Teacher(Count(options, 2000), Classes(options), options.Dimensions ?? 10, options.Noise ?? 0.0, options.Seed),
            "digits" => Digits.Load(),
            "fashion-mnist" => LoadIdx("fashion-mnist", FashionMnistClasses, options),
            "mnist" => LoadIdx("mnist", Dataset.NumberedNames(string.Empty, 10), options),
            _ => LoadFile(nameOrPath, options),
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
        bool looksCsv = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase);
        if (looksCsv || File.Exists(path))
            return CsvDataReader.Read(path, options.Label);
        throw new GradscopeException($"Unknown data set '{path}'. Use one of: {string.Join(", ", Names)}; or give the path of a .csv file.");
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
