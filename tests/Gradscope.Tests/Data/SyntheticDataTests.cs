using Gradscope.Data;

namespace Gradscope.Tests.Data;

public class SyntheticDataTests
{
    public static TheoryData<string, int, int> Generators => new()
    {
        // name, classes, features
        { "spiral", 4, 2 },
        { "moons", 2, 2 },
        { "circles", 2, 2 },
        { "xor", 2, 2 },
        { "checkerboard", 2, 2 },
        { "blobs", 4, 5 },
    };

    private static Dataset Make(string name, int count, double noise, int seed) => name switch
    {
        "spiral" => SyntheticData.Spiral(count, 4, noise, seed),
        "moons" => SyntheticData.Moons(count, noise, seed),
        "circles" => SyntheticData.Circles(count, noise, seed),
        "xor" => SyntheticData.Xor(count, noise, seed),
        "checkerboard" => SyntheticData.Checkerboard(count, noise, seed),
        "blobs" => SyntheticData.Blobs(count, 4, 5, noise, seed),
        "teacher" => SyntheticData.Teacher(count, 3, 6, noise, seed),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Generators))]
    public void Generator_HasShapeAndBalancedClasses(string name, int classes, int features)
    {
        var data = Make(name, 400, 0.1, 1);
        Assert.Equal(name, data.Name);
        Assert.Equal(400, data.Count);
        Assert.Equal(features, data.FeatureCount);
        Assert.Equal(400 * features, data.Features.Length);
        Assert.Equal(classes, data.ClassCount);
        Assert.All(data.ClassCounts(), n => Assert.Equal(400 / classes, n));
    }

    [Theory]
    [MemberData(nameof(Generators))]
    [InlineData("teacher", 3, 6)]
    public void Generator_IsDeterministicPerSeed(string name, int classes, int features)
    {
        var a = Make(name, 200, 0.1, 42);
        var b = Make(name, 200, 0.1, 42);
        var c = Make(name, 200, 0.1, 43);
        Assert.Equal(a.Features, b.Features);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Features, c.Features);
        Assert.Equal(classes * features, a.ClassCount * a.FeatureCount);
    }

    [Fact]
    public void Spiral_NoNoise_FollowsCs231nFormula()
    {
        var data = SyntheticData.Spiral(300, 3, 0.0, 1);
        // Arm 1 is rows 100..199; its last point has r = 1, t = 4 * 1 + 4 * 1 = 8.
        Assert.Equal(Math.Sin(8.0), data.Row(199)[0], 12);
        Assert.Equal(Math.Cos(8.0), data.Row(199)[1], 12);
        // Point 50 of arm 2: r = 50 / 99, t = 8 + 4 r.
        double r = 50.0 / 99.0;
        Assert.Equal(r * Math.Sin(8.0 + (4.0 * r)), data.Row(250)[0], 12);
        Assert.Equal(2, data.Labels[250]);
    }

    [Fact]
    public void Spiral_UnevenCount_GivesRemainderToFirstArms()
    {
        Assert.Equal([34, 33, 33], SyntheticData.Spiral(100, 3, 0.2, 1).ClassCounts());
    }

    [Fact]
    public void Moons_NoNoise_MatchesMakeMoons()
    {
        var data = SyntheticData.Moons(10, 0.0, 1);
        // sklearn.datasets.make_moons(10, shuffle=False): outer (1, 0) .. (-1, 0), inner (0, 0.5) .. (2, 0.5).
        Assert.Equal([1.0, 0.0], data.Row(0).ToArray());
        Assert.Equal(-1.0, data.Row(4)[0], 12);
        Assert.Equal(0.0, data.Row(4)[1], 12);
        Assert.Equal(0.0, data.Row(5)[0], 12);
        Assert.Equal(0.5, data.Row(5)[1], 12);
        Assert.Equal(2.0, data.Row(9)[0], 12);
        Assert.Equal(0.5, data.Row(9)[1], 12);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], data.Labels);
    }

    [Fact]
    public void Circles_NoNoise_InnerRadiusIsHalf()
    {
        var data = SyntheticData.Circles(100, 0.0, 1);
        for (int row = 0; row < 100; row++)
        {
            double radius = Math.Sqrt((data.Row(row)[0] * data.Row(row)[0]) + (data.Row(row)[1] * data.Row(row)[1]));
            Assert.Equal(data.Labels[row] == 0 ? 1.0 : 0.5, radius, 12);
        }

        Assert.Equal([0.5, 0.0], data.Row(50).ToArray());
    }

    [Fact]
    public void Xor_NoNoise_LabelIsSignProduct()
    {
        var data = SyntheticData.Xor(500, 0.0, 3);
        for (int row = 0; row < data.Count; row++)
        {
            double x = data.Row(row)[0], y = data.Row(row)[1];
            Assert.InRange(Math.Abs(x), 0.0, 1.0);
            Assert.Equal(Math.Sign(x) * Math.Sign(y) >= 0 ? 0 : 1, data.Labels[row]);
        }
    }

    [Fact]
    public void Checkerboard_NoNoise_LabelIsCellParity()
    {
        var data = SyntheticData.Checkerboard(800, 0.0, 3);
        for (int row = 0; row < data.Count; row++)
        {
            int cx = (int)Math.Floor((data.Row(row)[0] + 1.0) * 2.0);
            int cy = (int)Math.Floor((data.Row(row)[1] + 1.0) * 2.0);
            Assert.Equal((cx + cy) % 2, data.Labels[row]);
        }
    }

    [Fact]
    public void Blobs_NoNoise_ClassesSitOnDistinctCentersInBox()
    {
        var data = SyntheticData.Blobs(30, 3, 4, 0.0, 9);
        Assert.Equal(data.Row(0).ToArray(), data.Row(3).ToArray());
        Assert.NotEqual(data.Row(0).ToArray(), data.Row(1).ToArray());
        Assert.All(data.Features, v => Assert.InRange(v, -10.0, 10.0));
        // The centers are drawn before the points: a larger set starts the same.
        Assert.Equal(data.Row(2).ToArray(), SyntheticData.Blobs(300, 3, 4, 0.0, 9).Row(2).ToArray());
    }

    [Fact]
    public void Teacher_EveryClassGetsAFairShare()
    {
        var data = SyntheticData.Teacher(3000, 4, 10, 0.0, 11);
        Assert.Equal(10, data.FeatureCount);
        Assert.All(data.ClassCounts(), n => Assert.InRange(n, 300, 1500));
    }

    [Fact]
    public void Teacher_NoiseFlipsSomeLabelsButNotMost()
    {
        var clean = SyntheticData.Teacher(2000, 3, 5, 0.0, 2);
        var noisy = SyntheticData.Teacher(2000, 3, 5, 0.1, 2);
        Assert.Equal(clean.Features, noisy.Features);
        int same = clean.Labels.Zip(noisy.Labels).Count(p => p.First == p.Second);
        Assert.InRange(same, 1400, 1999);
    }

    [Fact]
    public void Generator_TooFewPoints_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => SyntheticData.Spiral(2, 3, 0.2, 1));
        Assert.Equal("spiral: needs at least one point per class (3), got a count of 2.", e.Message);
    }

    [Fact]
    public void Generator_NegativeNoise_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => SyntheticData.Moons(10, -0.5, 1));
        Assert.Equal("moons: noise must be a finite number >= 0, got -0.5.", e.Message);
    }

    [Fact]
    public void Generator_OneClass_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => SyntheticData.Blobs(10, 1, 2, 1.0, 1));
        Assert.Equal("blobs: needs at least 2 classes, got 1.", e.Message);
    }

    [Fact]
    public void Generator_ZeroDimensions_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => SyntheticData.Teacher(10, 2, 0, 0.0, 1));
        Assert.Equal("teacher: dimensions must be between 1 and 100000, got 0.", e.Message);
    }
}
