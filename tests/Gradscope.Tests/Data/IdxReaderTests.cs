using System.Buffers.Binary;
using Gradscope.Data;
using Gradscope.Data.Catalog;

namespace Gradscope.Tests.Data;

public class IdxReaderTests
{
    private static readonly string[] TenClasses = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>IDX bytes: magic, the dimension sizes, then <paramref name="body"/>.</summary>
    internal static byte[] Idx(int magic, int[] dims, byte[] body)
    {
        var bytes = new byte[4 + (4 * dims.Length) + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        body.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    // Three 2x3 images whose pixel k of image i is 10 (6 i + k); labels 2, 0, 9.
    internal static byte[] ThreeImages() => Idx(0x803, [3, 2, 3], [.. Enumerable.Range(0, 18).Select(k => (byte)(k * 10))]);

    internal static byte[] ThreeLabels() => Idx(0x801, [3], [2, 0, 9]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_RoundTripsRawAndGzip(bool gzip)
    {
        using var files = new TestFiles();
        string images = files.Write("imgs", ThreeImages(), gzip);
        string labels = files.Write("lbls", ThreeLabels(), gzip);

        var data = IdxReader.Read(images, labels, "tiny", TenClasses);
        Assert.Equal(3, data.Count);
        Assert.Equal(6, data.FeatureCount);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal([2, 0, 9], data.Labels);
        Assert.Equal(70 / 255.0, data.Row(1)[1]);
        Assert.Equal(170 / 255.0, data.Row(2)[5]);
        Assert.Equal("pixel_5", data.FeatureNames[5]);
    }

    [Fact]
    public void Read_Limit_ReadsFirstRows()
    {
        using var files = new TestFiles();
        var data = IdxReader.Read(files.Write("i", ThreeImages()), files.Write("l", ThreeLabels()), "tiny", TenClasses, limit: 2);
        Assert.Equal(2, data.Count);
        Assert.Equal([2, 0], data.Labels);
        Assert.Equal(110 / 255.0, data.Row(1)[5]);
    }

    [Fact]
    public void Read_TruncatedPixels_SaysHowMuchIsMissing()
    {
        using var files = new TestFiles();
        string images = files.Write("i.gz", ThreeImages()[..(16 + 10)], gzip: true);
        var e = Assert.Throws<GradscopeException>(() => IdxReader.Read(images, files.Write("l", ThreeLabels()), "t", TenClasses));
        Assert.Equal($"{images}: truncated: the header says 3 images of 2x3, but the file ends after 10 bytes of pixels (at least 18 expected).", e.Message);
    }

    [Fact]
    public void Read_TruncatedLabels_Throws()
    {
        using var files = new TestFiles();
        string labels = files.Write("l", ThreeLabels()[..10]);
        var e = Assert.Throws<GradscopeException>(() => IdxReader.Read(files.Write("i", ThreeImages()), labels, "t", TenClasses));
        Assert.Equal($"{labels}: truncated: the header says 3 labels, but the file ends after 2.", e.Message);
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        using var files = new TestFiles();
        string images = files.Write("i", ThreeImages()[..9]);
        var e = Assert.Throws<GradscopeException>(() => IdxReader.Read(images, files.Write("l", ThreeLabels()), "t", TenClasses));
        Assert.Equal($"{images}: truncated header: 3 dimension sizes need 16 bytes, the file has 9.", e.Message);
    }

    [Fact]
    public void Read_WrongMagic_SaysWhatWasExpected()
    {
        using var files = new TestFiles();
        string swapped = files.Write("l", ThreeLabels());
        var e = Assert.Throws<GradscopeException>(() => IdxReader.Read(swapped, files.Write("i", ThreeImages()), "t", TenClasses));
        Assert.Equal($"{swapped}: wrong IDX magic number 0x00000801; expected 0x00000803 (unsigned-byte images, 3 dimensions). Is this the images file?", e.Message);
    }

    [Fact]
    public void Read_CountMismatch_Throws()
    {
        using var files = new TestFiles();
        string images = files.Write("i", ThreeImages());
        string labels = files.Write("l", Idx(0x801, [2], [1, 1]));
        var e = Assert.Throws<GradscopeException>(() => IdxReader.Read(images, labels, "t", TenClasses));
        Assert.Equal($"{images} has 3 images but {labels} has 2 labels; they must match one to one.", e.Message);
    }

    [Fact]
    public void Read_LabelOutOfRange_Throws()
    {
        using var files = new TestFiles();
        string labels = files.Write("l", Idx(0x801, [3], [1, 10, 1]));
        var e = Assert.Throws<GradscopeException>(() => IdxReader.Read(files.Write("i", ThreeImages()), labels, "t", TenClasses));
        Assert.Equal($"{labels}: label 10 at index 1 is outside 0..9.", e.Message);
    }

    [Fact]
    public void Read_AbsurdDims_Throws()
    {
        using var files = new TestFiles();
        string images = files.Write("i", Idx(0x803, [1, 100_000, 28], []));
        var e = Assert.Throws<GradscopeException>(() => IdxReader.Read(images, files.Write("l", Idx(0x801, [1], [0])), "t", TenClasses));
        Assert.Equal($"{images}: the IDX header says images of 100000x28; more than 4096 per side means a corrupt header.", e.Message);
    }

    [Fact]
    public void Read_ZeroDim_Throws()
    {
        using var files = new TestFiles();
        string images = files.Write("i", Idx(0x803, [3, 0, 3], []));
        var e = Assert.Throws<GradscopeException>(() => IdxReader.Read(images, files.Write("l", ThreeLabels()), "t", TenClasses));
        Assert.Equal($"{images}: dimension 1 of the IDX header is 0; sizes must be at least 1.", e.Message);
    }

    [Fact]
    public void Read_MissingFile_Throws()
    {
        using var files = new TestFiles();
        string missing = Path.Combine(files.Directory, "nope");
        var e = Assert.Throws<GradscopeException>(() => IdxReader.Read(missing, missing, "t", TenClasses));
        Assert.StartsWith($"Cannot open {missing}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RealFashionMnistTestSet()
    {
        string? dir = TestFiles.FindSharedFashionMnist();
        if (dir is null)
            return; // The shared data directory is absent on this machine.

        var data = IdxReader.Read(
            Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), "fashion-mnist-test", DatasetCatalog.FashionMnistClasses);
        Assert.Equal(10000, data.Count);
        Assert.Equal(784, data.FeatureCount);
        Assert.Equal(9, data.Labels[0]);
        Assert.Equal("Ankle boot", data.ClassNames[data.Labels[0]]);
        Assert.Equal(1.0, data.Features.Max());
        Assert.Equal(0.0, data.Features.Min());
        Assert.All(data.ClassCounts(), n => Assert.Equal(1000, n));
    }
}
