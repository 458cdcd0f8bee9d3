using System.Globalization;
using System.IO.Compression;

namespace Gradscope.Data;

/// <summary>
/// The built-in 8x8 handwritten digits (the UCI optical digits test set, as scikit-learn's
/// <c>load_digits</c>): 1,797 images, 64 pixel intensities 0..16 each (not rescaled), 10 classes.
/// Shipped inside the assembly, so it needs no download.
/// </summary>
public static class Digits
{
    /// <summary>Rows in the set.</summary>
    public const int Count = 1797;

    /// <summary>Pixels per image (8 x 8).</summary>
    public const int FeatureCount = 64;

    private const string ResourceName = "Gradscope.Data.digits.csv.gz";

    /// <summary>Loads the set from the embedded resource.</summary>
    public static Dataset Load()
    {
        using Stream resource = typeof(Digits).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from the Gradscope assembly.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));

        var features = new double[Count * FeatureCount];
        var labels = new int[Count];
        int row = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            if (row == Count)
                throw new InvalidOperationException($"Embedded {ResourceName} has more than {Count} rows.");
            ParseRow(line, features.AsSpan(row * FeatureCount, FeatureCount), out labels[row]);
            row++;
        }

        if (row != Count)
            throw new InvalidOperationException($"Embedded {ResourceName} has {row} rows, expected {Count}.");
        return new Dataset("digits", features, labels, FeatureCount, 10, Dataset.NumberedNames("pixel_", FeatureCount), Dataset.NumberedNames(string.Empty, 10));
    }

    private static void ParseRow(string line, Span<double> pixels, out int label)
    {
        Span<Range> fields = stackalloc Range[FeatureCount + 2];
        ReadOnlySpan<char> text = line;
        int n = text.Split(fields, ',');
        if (n != FeatureCount + 1)
            throw new InvalidOperationException($"Embedded {ResourceName}: a row has {n} fields, expected {FeatureCount + 1}.");
        for (int i = 0; i < FeatureCount; i++)
            pixels[i] = int.Parse(text[fields[i]], CultureInfo.InvariantCulture);
        label = int.Parse(text[fields[FeatureCount]], CultureInfo.InvariantCulture);
    }
}
