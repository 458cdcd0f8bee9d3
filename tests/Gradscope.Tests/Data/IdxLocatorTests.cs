using Gradscope.Data;

namespace Gradscope.Tests.Data;

public class IdxLocatorTests
{
    [Fact]
    public void Find_ExplicitDirectory_PrefersItAndAcceptsGzOrRaw()
    {
        using var files = new TestFiles();
        files.Write("t10k-images-idx3-ubyte.gz", IdxReaderTests.ThreeImages(), gzip: true);
        files.Write("t10k-labels-idx1-ubyte", IdxReaderTests.ThreeLabels());
        var (images, labels) = IdxLocator.Find("mnist", train: false, files.Directory, "/elsewhere");
        Assert.Equal(Path.Combine(files.Directory, "t10k-images-idx3-ubyte.gz"), images);
        Assert.Equal(Path.Combine(files.Directory, "t10k-labels-idx1-ubyte"), labels);
    }

    [Fact]
    public void Find_EnvironmentDirectory_LooksInSetSubdirectory()
    {
        using var files = new TestFiles();
        Directory.CreateDirectory(Path.Combine(files.Directory, "fashion-mnist"));
        files.Write("fashion-mnist/train-images.idx3-ubyte", IdxReaderTests.ThreeImages());
        files.Write("fashion-mnist/train-labels.idx1-ubyte", IdxReaderTests.ThreeLabels());
        var (images, _) = IdxLocator.Find("fashion-mnist", train: true, null, files.Directory);
        Assert.Equal(Path.Combine(files.Directory, "fashion-mnist", "train-images.idx3-ubyte"), images);
    }

    [Fact]
    public void Find_NothingFound_ListsPlacesAndHowToProvide()
    {
        using var files = new TestFiles();
        var e = Assert.Throws<GradscopeException>(() => IdxLocator.Find("fashion-mnist", train: false, null, null, files.Directory));
        Assert.Equal(
            "Cannot find the fashion-mnist test files (t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, optionally .gz). " +
            $"Searched: {Path.Combine(files.Directory, "fashion-mnist")}. " +
            "Put the four IDX files in a directory and pass it with --data-dir DIR, or set GRADSCOPE_DATA=DIR; " +
            "on Debian or Ubuntu, 'apt install dataset-fashion-mnist' installs them in /usr/share/datasets/fashion-mnist.",
            e.Message);
    }

    [Fact]
    public void Find_ExplicitDirectoryWithoutFiles_DoesNotFallBack()
    {
        using var files = new TestFiles();
        files.Write("train-images-idx3-ubyte", IdxReaderTests.ThreeImages());
        var e = Assert.Throws<GradscopeException>(() => IdxLocator.Find("mnist", train: true, files.Directory, null));
        Assert.Contains($"Searched: {files.Directory}, {Path.Combine(files.Directory, "mnist")}. ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("or set GRADSCOPE_DATA=DIR.", e.Message, StringComparison.Ordinal);
    }
}
