using System.Text;
using Gradscope.Data.Arrays;
using static Gradscope.Tests.Data.NpzTestWriter;

namespace Gradscope.Tests.Data;

public sealed class NpzMalformedTests
{
    private static readonly byte[] GoodY = Npy("<i8", [2], Int64(0, 1));

    [Fact]
    public void NotAZip_SaysWhatAnNpzIs()
    {
        string message = ReadError(Encoding.UTF8.GetBytes("a,b,label\n1,2,0\n"), out string path);
        Assert.StartsWith($"{path}: not a readable .npz file (an .npz is a zip archive, as np.savez writes it)", message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(400)]
    public void TruncatedZip_NamesTheFile(int keep)
    {
        byte[] whole = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "Resources", "table.npz"));
        string message = ReadError(whole[..keep], out string path);
        Assert.StartsWith($"{path}: not a readable .npz file", message);
    }

    [Fact]
    public void MissingMember_ListsTheMembersAndHowToSave()
    {
        string message = ReadError(Zip(false, ("arr_0.npy", Npy("<f8", [2, 1], Float64(1, 2))), ("arr_1.npy", GoodY)), out string path);
        Assert.Equal(
            $"{path} has no array 'x' (member x.npy); it has arr_0.npy, arr_1.npy. Save the data with np.savez(file, x=features, y=labels).",
            message);
    }

    [Fact]
    public void MissingLabels_NamesY()
    {
        string message = ReadError(Zip(false, ("x.npy", Npy("<f8", [2, 1], Float64(1, 2)))), out string path);
        Assert.StartsWith($"{path} has no array 'y' (member y.npy); it has x.npy.", message);
    }

    [Fact]
    public void BadMagic_NamesFileAndMember()
    {
        string message = ReadError(Zip(false, ("x.npy", Encoding.ASCII.GetBytes("1.0,2.0\n3.0,4.0\n")), ("y.npy", GoodY)), out string path);
        Assert.Equal(
            $"{path}: member 'x.npy' does not start with the .npy magic \\x93NUMPY but with bytes 312E302C322E; each member of an .npz file must be a .npy array as np.save writes it.",
            message);
    }

    [Fact]
    public void UnknownVersion_ListsTheReadableOnes()
    {
        byte[] x = [.. NpyPrefix(2, Encoding.ASCII.GetBytes("{}\n")), .. Float64(1, 2)];
        x[6] = 4;
        string message = ReadError(Zip(false, ("x.npy", x), ("y.npy", GoodY)), out string path);
        Assert.Equal($"{path}: member 'x.npy': .npy format version 4.0; Gradscope reads versions 1.0, 2.0 and 3.0.", message);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False}", "the key 'shape' is missing")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), 'extra': 1}", "unexpected key 'extra'")]
    [InlineData("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 1)}", "the key 'descr' appears twice")]
    [InlineData("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2, 1)}", "'fortran_order' must be True or False, found 'Maybe, 'shape': (2, ...'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (-2, 1)}", "dimension 0 of 'shape' is not a non-negative integer: found '-2, 1)}'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 1)}", "dimension 0 of 'shape' is 99999999999, more than the 2147483647 Gradscope supports")]
    [InlineData("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,)}", "'descr' is a list of fields, a structured array")]
    [InlineData("{'descr': '<f8, 'fortran_order': False, 'shape': (2, 1)}", "expected '}' at character 18, found 'fortran_order': Fals...'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1)} junk", "text after the closing '}' at character 58")]
    [InlineData("descr = <f8", "expected '{' at character 1, found 'descr = <f8'")]
    [InlineData("", "expected '{' at character 1, found the end of the header")]
    public void BadHeaderDictionary_SaysWhatIsWrong(string dict, string problem)
    {
        byte[] x = [.. NpyPrefix(1, Encoding.Latin1.GetBytes(dict)), .. Float64(1, 2)];
        string message = ReadError(Zip(false, ("x.npy", x), ("y.npy", GoodY)), out string path);
        Assert.StartsWith($"{path}: member 'x.npy': the .npy header is not one NumPy writes: ", message);
        Assert.Contains(problem, message);
    }

    [Fact]
    public void DataShorterThanShape_SaysBothSizes()
    {
        byte[] x = Npy("<f4", [4, 3], Float32(new float[9]));
        string message = ReadError(Zip(true, ("x.npy", x), ("y.npy", GoodY)), out string path);
        Assert.Equal(
            $"{path}: member 'x.npy': the header says shape [4, 3] of float32 (12 values, 48 bytes) but 36 bytes follow the 128-byte header; the file is truncated or was altered.",
            message);
    }

    [Fact]
    public void DataLongerThanShape_IsAlsoRefused()
    {
        byte[] x = Npy("<f8", [2, 1], Float64(1, 2, 3));
        Assert.Contains("(2 values, 16 bytes) but 24 bytes follow", ReadError(Zip(false, ("x.npy", x), ("y.npy", GoodY)), out _));
    }

    [Fact]
    public void HeaderLongerThanMember_IsTruncated()
    {
        byte[] x = Npy("<f8", [2, 1], Float64(1, 2))[..40];
        string message = ReadError(Zip(false, ("x.npy", x), ("y.npy", GoodY)), out string path);
        Assert.Equal($"{path}: member 'x.npy': the .npy header claims 118 bytes but the member holds 30 after the header length; it is truncated or corrupt.", message);
    }

    [Fact]
    public void ShapeBeyondArrayLimits_IsRefused()
    {
        string message = ReadError(Zip(false, ("x.npy", WithShape("(2147483647, 1000000)")), ("y.npy", GoodY)), out string path);
        Assert.Equal($"{path}: member 'x.npy': the header claims shape [2147483647, 1000000], more than the {Array.MaxLength} values Gradscope holds in one array.", message);
    }

    [Fact]
    public void ShapeClaimingGigabytes_IsRefusedBeforeAllocating()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        string message = ReadError(Zip(false, ("x.npy", WithShape("(100000000, 10)")), ("y.npy", GoodY)), out _);
        Assert.Contains("the header says shape [100000000, 10] of float32 (1000000000 values, 4000000000 bytes) but 16 bytes follow", message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000, "the reader allocated for the claimed shape");
    }

    [Theory]
    [InlineData("<i4", "x holds int32 values; features must be floating point (float32 or float64), e.g. x.astype(np.float32).")]
    [InlineData("<c8", "member 'x.npy': the element type '<c8' cannot be read; Gradscope reads float16/32/64")]
    [InlineData("|b1", "member 'x.npy': the element type '|b1' cannot be read")]
    [InlineData("<U3", "member 'x.npy': the element type '<U3' cannot be read")]
    [InlineData("|f4", "member 'x.npy': the element type '|f4' cannot be read")]
    public void WrongFeatureType_IsNamed(string descr, string problem)
    {
        byte[] x = Npy(descr, [2, 1], new byte[8]);
        Assert.Contains(problem, ReadError(Zip(false, ("x.npy", x), ("y.npy", GoodY)), out _));
    }

    [Fact]
    public void FloatLabels_AskForIntegers()
    {
        byte[] y = Npy("<f4", [2], Float32(0, 1));
        string message = ReadError(Zip(false, ("x.npy", Npy("<f8", [2, 1], Float64(1, 2))), ("y.npy", y)), out string path);
        Assert.Equal($"{path}: y holds float32 values; labels must be integer class indices 0, 1, 2, ..., e.g. y.astype(np.int64).", message);
    }

    [Theory]
    [InlineData(2, double.NaN, "x[1, 0] is NaN (row 1, counting from 0)")]
    [InlineData(3, double.PositiveInfinity, "x[1, 1] is Infinity (row 1, counting from 0)")]
    [InlineData(0, double.NegativeInfinity, "x[0, 0] is -Infinity (row 0, counting from 0)")]
    public void NonFiniteFeature_NamesFileAndFirstRow(int at, double value, string problem)
    {
        double[] values = [1, 2, 3, 4];
        values[at] = value;
        values[3] = at == 3 ? value : double.NaN;
        string message = ReadError(Zip(false, ("x.npy", Npy("<f8", [2, 2], Float64(values))), ("y.npy", GoodY)), out string path);
        Assert.Equal($"{path}: {problem}; features must be finite numbers.", message);
    }

    [Fact]
    public void RowCountMismatch_ShowsBothShapes()
    {
        string message = ReadError(Zip(false, ("x.npy", Npy("<f8", [3, 1], Float64(1, 2, 3))), ("y.npy", GoodY)), out string path);
        Assert.Equal($"{path}: y has shape [2] but x has shape [3, 1]; y must hold one integer label per row of x, shape [3].", message);
    }

    [Theory]
    [InlineData(-1L, "y[1] is -1; labels must be class indices 0, 1, 2, ... (no negative values)")]
    [InlineData(70000L, "y[1] is 70000; labels are class indices 0..K-1, and Gradscope takes at most 65536 classes")]
    public void LabelOutOfRange_IsNamed(long label, string problem)
    {
        byte[] y = Npy("<i8", [2], Int64(0, label));
        Assert.Contains(problem, ReadError(Zip(false, ("x.npy", Npy("<f8", [2, 1], Float64(1, 2))), ("y.npy", y)), out _));
    }

    [Theory]
    [InlineData(new[] { 2 }, "x has shape [2]; features must be [N, F] (one row per example) or [N, T, F]")]
    [InlineData(new[] { 2, 1, 1, 1 }, "x has shape [2, 1, 1, 1]; features must be [N, F]")]
    [InlineData(new[] { 2, 0 }, "x has shape [2, 0]: no features (F).")]
    public void FeatureShapeNotATable_IsRefused(int[] shape, string problem)
    {
        byte[] x = Npy("<f8", shape, Float64(1, 2)[..(8 * shape.Aggregate(1, (a, b) => a * b))]);
        Assert.Contains(problem, ReadError(Zip(false, ("x.npy", x), ("y.npy", GoodY)), out _));
    }

    [Fact]
    public void ZeroRows_IsRefused()
    {
        byte[] y = Npy("<i8", [0], []);
        Assert.Contains("x has shape [0, 3]: no rows (N).", ReadError(Zip(false, ("x.npy", Npy("<f8", [0, 3], [])), ("y.npy", y)), out _));
    }

    [Fact]
    public void CorruptDeflateData_NamesTheMember()
    {
        byte[] npz = Table(new float[400], new long[100], deflate: true);
        int data = 30 + "x.npy".Length + 4;
        for (int i = data; i < data + 20; i++)
            npz[i] ^= 0x5A;
        string message = ReadError(npz, out string path);
        Assert.StartsWith($"{path}: member 'x.npy'", message);
    }

    [Fact]
    public void EntryCountDisagreeingWithCentralDirectory_NamesTheFile()
    {
        // Found by the fuzzer: the zip reader reads the central directory when the entries are first
        // asked for, after the archive is open, and its InvalidDataException escaped as an internal error.
        byte[] npz = Table(new float[6], new long[2]);
        int end = npz.AsSpan().LastIndexOf("PK\x05\x06"u8);
        npz[end + 8] = 3;
        npz[end + 10] = 3;
        string message = ReadError(npz, out string path);
        Assert.StartsWith($"{path}: not a readable .npz file", message);
    }

    [Fact]
    public void HeaderHoldingLineBreaks_IsQuotedOnOneLine()
    {
        // Found by the fuzzer: a lying header length took in the header's closing newline and more.
        byte[] x = [.. NpyPrefix(1, Encoding.Latin1.GetBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }\n\r\u0001")), .. Float64(1, 2)];
        string message = ReadError(Zip(false, ("x.npy", x), ("y.npy", GoodY)), out _);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
        Assert.EndsWith("'shape': (2, 1), }\\n\\r\\x01", message);
    }

    private static byte[] WithShape(string shape) =>
        [.. NpyPrefix(1, Encoding.Latin1.GetBytes($"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}\n")), .. Float64(1, 2)];

    private static string ReadError(byte[] npz, out string path)
    {
        using var files = new TestFiles();
        path = files.Write("bad.npz", npz);
        string file = path;
        var error = Assert.Throws<GradscopeException>(() => ArrayDataFile.ReadDataset(file));
        return error.Message;
    }
}
