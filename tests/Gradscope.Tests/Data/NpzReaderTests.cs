using System.IO.Compression;
using System.Text;
using Gradscope.Data.Arrays;
using Gradscope.Data.Sequences;
using static Gradscope.Tests.Data.NpzTestWriter;

namespace Gradscope.Tests.Data;

public sealed class NpzReaderTests
{
    // The golden files hold x = arange(15).reshape(5, 3) / 4 - 1 and y = [0, 2, 1, 2, 0] (see Resources/make_npz.py).
    private static readonly int[] GoldenLabels = [0, 2, 1, 2, 0];

    private static double[] GoldenFeatures()
    {
        var x = new double[15];
        for (int i = 0; i < x.Length; i++)
            x[i] = (i / 4.0) - 1;
        return x;
    }

    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Resources", name);

    [Theory]
    [InlineData("table.npz")]
    [InlineData("table-compressed.npz")]
    [InlineData("fortran-bigendian.npz")]
    public void ReadDataset_NumPyGoldenFile_GivesTheSavedTable(string file)
    {
        var data = ArrayDataFile.ReadDataset(Golden(file));

        Assert.Equal(5, data.Count);
        Assert.Equal(3, data.FeatureCount);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal(GoldenFeatures(), data.Features);
        Assert.Equal(GoldenLabels, data.Labels);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), data.Name);
        Assert.Equal(["0", "1", "2"], data.ClassNames);
    }

    [Fact]
    public void ReadSequences_NumPyGoldenFile_IsManyToMany()
    {
        var data = ArrayDataFile.ReadSequences(Golden("sequences.npz"));

        Assert.Equal((4, 3, 2, 3), (data.Count, data.Length, data.FeatureCount, data.ClassCount));
        Assert.Equal(SequenceOutput.ManyToMany, data.Output);
        for (int i = 0; i < 24; i++)
            Assert.Equal((i - 12) / 8.0, data.Features[i]);
        for (int i = 0; i < 12; i++)
            Assert.Equal(i % 3, data.Labels[i]);
    }

    [Fact]
    public void TestWriter_WritesTheBytesNumPyWrites()
    {
        using var zip = ZipFile.OpenRead(Golden("table.npz"));
        var x = new float[15];
        for (int i = 0; i < x.Length; i++)
            x[i] = (i / 4f) - 1;

        Assert.Equal(ReadMember(zip, "x.npy"), Npy("<f4", [5, 3], Float32(x)));
        Assert.Equal(ReadMember(zip, "y.npy"), Npy("<i8", [5], Int64(0, 2, 1, 2, 0)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadDataset_HandBuiltStoredOrDeflated_ReadsAlike(bool deflate)
    {
        using var files = new TestFiles();
        string path = files.Write("t.npz", Table([1, 2, 3, 4, 5, 6], [1, 0, 1], deflate));

        var data = ArrayDataFile.ReadDataset(path);

        Assert.Equal([1.0, 2, 3, 4, 5, 6], data.Features);
        Assert.Equal([1, 0, 1], data.Labels);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(2, data.ClassCount);
    }

    [Theory]
    [InlineData("|i1", new byte[] { 2, 0 })]
    [InlineData("|u1", new byte[] { 2, 0 })]
    [InlineData("<i2", new byte[] { 2, 0, 0, 0 })]
    [InlineData(">i2", new byte[] { 0, 2, 0, 0 })]
    [InlineData("<u2", new byte[] { 2, 0, 0, 0 })]
    [InlineData("<i4", new byte[] { 2, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("<u4", new byte[] { 2, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(">u4", new byte[] { 0, 0, 0, 2, 0, 0, 0, 0 })]
    [InlineData("<i8", new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("<u8", new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void ReadDataset_EveryIntegerLabelType_GivesClassIndices(string descr, byte[] labels)
    {
        using var files = new TestFiles();
        string path = files.Write("t.npz", Zip(false, ("x.npy", Npy("<f8", [2, 1], Float64(0.5, -0.5))), ("y.npy", Npy(descr, [2], labels))));

        var data = ArrayDataFile.ReadDataset(path);

        Assert.Equal([2, 0], data.Labels);
        Assert.Equal(3, data.ClassCount);
    }

    [Theory]
    [InlineData("<f2", new byte[] { 0x00, 0x3C, 0x00, 0xC0 })]
    [InlineData(">f2", new byte[] { 0x3C, 0x00, 0xC0, 0x00 })]
    [InlineData(">f4", new byte[] { 0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0 })]
    public void ReadDataset_HalfAndBigEndianFeatures_AreDecoded(string descr, byte[] features)
    {
        using var files = new TestFiles();
        string path = files.Write("t.npz", Zip(false, ("x.npy", Npy(descr, [2, 1], features)), ("y.npy", Npy("<i8", [2], Int64(0, 1)))));

        Assert.Equal([1.0, -2.0], ArrayDataFile.ReadDataset(path).Features);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadDataset_NpyVersions2And3_HaveFourByteHeaderLengths(int major)
    {
        byte[] header = Encoding.UTF8.GetBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }\n");
        using var files = new TestFiles();
        string path = files.Write("t.npz", Zip(
            false,
            ("x.npy", [.. NpyPrefix(major, header), .. Float64(3, 4)]),
            ("y.npy", Npy("<i8", [2], Int64(0, 1)))));

        Assert.Equal([3.0, 4.0], ArrayDataFile.ReadDataset(path).Features);
    }

    [Theory]
    [InlineData("{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 1)}")]
    [InlineData("{'shape': (2L, 1L), 'fortran_order': False, 'descr': '<f8'}")]
    [InlineData("  {  'descr' :'<f8','fortran_order':False,'shape':( 2 , 1 , ) , }  \n")]
    public void ReadDataset_HeaderSpellingsPythonAccepts_AreRead(string dict)
    {
        using var files = new TestFiles();
        string path = files.Write("t.npz", Zip(
            false,
            ("x.npy", [.. NpyPrefix(1, Encoding.Latin1.GetBytes(dict)), .. Float64(3, 4)]),
            ("y.npy", Npy("<i8", [2], Int64(0, 1)))));

        Assert.Equal([3.0, 4.0], ArrayDataFile.ReadDataset(path).Features);
    }

    [Fact]
    public void ReadDataset_ExtraMembersAndColumnLabels_AreAccepted()
    {
        using var files = new TestFiles();
        string path = files.Write("t.npz", Zip(
            false,
            ("x_test.npy", Npy("<f8", [1, 1], Float64(9))),
            ("x.npy", Npy("<f8", [2, 1], Float64(3, 4))),
            ("y.npy", Npy("<i8", [2, 1], Int64(1, 0)))));

        var data = ArrayDataFile.ReadDataset(path);

        Assert.Equal([3.0, 4.0], data.Features);
        Assert.Equal([1, 0], data.Labels);
    }

    [Fact]
    public void ReadSequences_FortranOrder3D_IsReorderedToRowMajor()
    {
        // x[n, t, f] = 100 n + 10 t + f, shape [2, 3, 2], written column-major (n varies fastest).
        var columnMajor = new List<double>();
        for (int f = 0; f < 2; f++)
        {
            for (int t = 0; t < 3; t++)
            {
                for (int n = 0; n < 2; n++)
                    columnMajor.Add((100 * n) + (10 * t) + f);
            }
        }

        using var files = new TestFiles();
        string path = files.Write("s.npz", Zip(
            true,
            ("x.npy", Npy("<f8", [2, 3, 2], Float64([.. columnMajor]), fortranOrder: true)),
            ("y.npy", Npy("<i8", [2], Int64(0, 1)))));

        var data = ArrayDataFile.ReadSequences(path);

        Assert.Equal(SequenceOutput.ManyToOne, data.Output);
        Assert.Equal([0.0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121], data.Features);
    }

    private static byte[] ReadMember(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
