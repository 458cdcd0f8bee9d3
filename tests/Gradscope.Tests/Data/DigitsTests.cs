using System.Globalization;
using System.IO.Compression;
using Gradscope.Data;

namespace Gradscope.Tests.Data;

public class DigitsTests
{
    [Fact]
    public void Load_HasShapeNamesAndClasses()
    {
        var digits = Digits.Load();
        Assert.Equal("digits", digits.Name);
        Assert.Equal(1797, digits.Count);
        Assert.Equal(64, digits.FeatureCount);
        Assert.Equal(10, digits.ClassCount);
        Assert.Equal("pixel_0", digits.FeatureNames[0]);
        Assert.Equal("pixel_63", digits.FeatureNames[63]);
        Assert.Equal("7", digits.ClassNames[7]);
        Assert.Equal(0.0, digits.Features.Min());
        Assert.Equal(16.0, digits.Features.Max());
        Assert.All(digits.ClassCounts(), n => Assert.InRange(n, 170, 190));
    }

    [Fact]
    public void Load_FirstRowMatchesTheResourceFile()
    {
        using var stream = typeof(Digits).Assembly.GetManifestResourceStream("Gradscope.Data.digits.csv.gz")!;
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        string[] cells = reader.ReadLine()!.Split(',');
        Assert.Equal(65, cells.Length);

        var digits = Digits.Load();
        double[] expected = [.. cells[..64].Select(c => double.Parse(c, CultureInfo.InvariantCulture))];
        Assert.Equal(expected, digits.Row(0).ToArray());
        Assert.Equal(int.Parse(cells[64], CultureInfo.InvariantCulture), digits.Labels[0]);
        Assert.Equal(0, digits.Labels[0]);
        Assert.Equal(5.0, digits.Row(0)[2]);
    }
}
