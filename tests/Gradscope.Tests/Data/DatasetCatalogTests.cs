using Gradscope.Data;
using Gradscope.Data.Catalog;

namespace Gradscope.Tests.Data;

public class DatasetCatalogTests
{
    [Fact]
    public void Load_DefaultSpiral_Is3ClassesOf300()
    {
        var data = DatasetCatalog.Load("Spiral");
        Assert.Equal(900, data.Count);
        Assert.Equal([300, 300, 300], data.ClassCounts());
    }

    [Theory]
    [InlineData("moons", 1000, 2, 2)]
    [InlineData("circles", 1000, 2, 2)]
    [InlineData("xor", 1000, 2, 2)]
    [InlineData("checkerboard", 2000, 2, 2)]
    [InlineData("blobs", 900, 3, 2)]
    [InlineData("teacher", 2000, 3, 10)]
    [InlineData("digits", 1797, 10, 64)]
    public void Load_Name_GivesDefaultShape(string name, int count, int classes, int features)
    {
        var data = DatasetCatalog.Load(name);
        Assert.Equal(count, data.Count);
        Assert.Equal(classes, data.ClassCount);
        Assert.Equal(features, data.FeatureCount);
    }

    [Fact]
    public void Load_Options_ArePassedThrough()
    {
        var options = new DataOptions { Count = 120, Classes = 4, Dimensions = 7, Noise = 0.5, Seed = 3 };
        var data = DatasetCatalog.Load("blobs", options);
        Assert.Equal(SyntheticData.Blobs(120, 4, 7, 0.5, 3).Features, data.Features);
    }

    [Fact]
    public void Load_ClassesOnTwoClassSet_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => DatasetCatalog.Load("moons", new DataOptions { Classes = 3 }));
        Assert.Equal("moons has exactly 2 classes; 3 were asked for. Spiral, blobs and teacher take a class count.", e.Message);
    }

    [Fact]
    public void Load_UnknownName_ListsValidNames()
    {
        var e = Assert.Throws<GradscopeException>(() => DatasetCatalog.Load("spirals"));
        Assert.Equal(
            "Unknown data set 'spirals'. Use one of: spiral, moons, circles, xor, checkerboard, blobs, teacher, digits, fashion-mnist, mnist, adding, copy, temporal-order; or give the path of a .csv, .npz or .safetensors file.",
            e.Message);
    }

    [Fact]
    public void Load_CsvPath_UsesLabelOption()
    {
        using var files = new TestFiles();
        string path = files.WriteText("pts.csv", "kind,x\nb,1\na,2\n");
        var data = DatasetCatalog.Load(path, new DataOptions { Label = "kind" });
        Assert.Equal([1, 0], data.Labels);
        Assert.Equal(["x"], data.FeatureNames);
    }

    [Theory]
    [InlineData("pts.npz")]
    [InlineData("PTS.NPZ")]
    public void Load_NpzPath_ReadsTheArrays(string name)
    {
        using var files = new TestFiles();
        string path = files.Write(name, NpzTestWriter.Table([1, 2, 3, 4], [1, 0]));
        var data = DatasetCatalog.Load(path, new DataOptions { Label = "ignored" });
        Assert.Equal([1.0, 2, 3, 4], data.Features);
        Assert.Equal([1, 0], data.Labels);
    }

    [Fact]
    public void Load_NpyPath_AsksForAnNpzOfXAndY()
    {
        using var files = new TestFiles();
        string path = files.Write("x.npy", NpzTestWriter.Npy("<f8", [1, 1], NpzTestWriter.Float64(1)));
        var e = Assert.Throws<GradscopeException>(() => DatasetCatalog.Load(path));
        Assert.Equal($"{path} is a single NumPy array; a data file holds the features and the labels together: np.savez('data.npz', x=features, y=labels).", e.Message);
    }

    [Fact]
    public void Load_IdxFromDataDir_ReadsTestFilesWithLimit()
    {
        using var files = new TestFiles();
        files.Write("t10k-images-idx3-ubyte.gz", IdxReaderTests.ThreeImages(), gzip: true);
        files.Write("t10k-labels-idx1-ubyte.gz", IdxReaderTests.ThreeLabels(), gzip: true);
        var data = DatasetCatalog.Load("fashion-mnist", new DataOptions { DataDir = files.Directory, Train = false, Limit = 2 });
        Assert.Equal("fashion-mnist-test", data.Name);
        Assert.Equal(2, data.Count);
        Assert.Equal("Pullover", data.ClassNames[data.Labels[0]]);
    }

    [Fact]
    public void LoadOfficialTest_ReadsT10kBesideTheTrainingFiles_OrGivesNull()
    {
        using var files = new TestFiles();
        files.Write("train-images-idx3-ubyte.gz", IdxReaderTests.ThreeImages(), gzip: true);
        files.Write("train-labels-idx1-ubyte.gz", IdxReaderTests.ThreeLabels(), gzip: true);
        var options = new DataOptions { DataDir = files.Directory };
        Assert.Null(DatasetCatalog.LoadOfficialTest("fashion-mnist", options));
        Assert.Null(DatasetCatalog.LoadOfficialTest("spiral", options));

        files.Write("t10k-images-idx3-ubyte", IdxReaderTests.ThreeImages());
        files.Write("t10k-labels-idx1-ubyte", IdxReaderTests.ThreeLabels());
        var test = DatasetCatalog.LoadOfficialTest("Fashion-MNIST", options with { Limit = 2 })!;
        Assert.Equal("fashion-mnist-test", test.Name);
        Assert.Equal([2, 0], test.Labels);
    }

    [Theory]
    [InlineData("spiral", true)]
    [InlineData("Fashion-MNIST", true)]
    [InlineData("data.csv", false)]
    [InlineData("spiral.csv", false)]
    public void IsNamedSet_TellsBuiltInSetsFromFiles(string name, bool named) => Assert.Equal(named, DatasetCatalog.IsNamedSet(name));
}
