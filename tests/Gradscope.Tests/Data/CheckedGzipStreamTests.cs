using System.IO.Compression;
using System.Text;
using Gradscope.Data;

namespace Gradscope.Tests.Data;

public class CheckedGzipStreamTests
{
    private static string Csv(int rows)
    {
        var text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < rows; i++)
            text.Append(i).Append(',').Append(i * 7 % 13).Append(',').Append(i % 3).Append('\n');
        return text.ToString();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return memory.ToArray();
    }

    /// <summary>The compressed bytes of <paramref name="first"/> after a sync flush: a prefix that decodes cleanly.</summary>
    private static byte[] GzipCutAtFlush(byte[] first, byte[] rest)
    {
        using var memory = new MemoryStream();
        var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true);
        gzip.Write(first);
        gzip.Flush();
        byte[] cut = memory.ToArray();
        gzip.Write(rest);
        gzip.Dispose();
        return cut;
    }

    private static byte[] ReadAll(string path)
    {
        using var stream = DataStreams.OpenMaybeGzip(path);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5000)]
    [InlineData(60000)]
    public void Read_CompleteFile_GivesEveryByte(int rows)
    {
        using var files = new TestFiles();
        byte[] text = Encoding.UTF8.GetBytes(Csv(rows));
        Assert.Equal(text, ReadAll(files.Write("d.csv.gz", Gzip(text))));
    }

    [Fact]
    public void Read_ConcatenatedMembers_GivesBoth()
    {
        using var files = new TestFiles();
        byte[] header = "a,b,label\n"u8.ToArray();
        byte[] rows = Encoding.UTF8.GetBytes(Csv(300)["a,b,label\n".Length..]);
        string path = files.Write("two.csv.gz", [.. Gzip(header), .. Gzip(rows)]);
        Assert.Equal([.. header, .. rows], ReadAll(path));
        Assert.Equal(300, CsvDataReader.Read(path).Count);
    }

    [Fact]
    public void Read_CsvCutAtFlushPoint_FailsNamingFile()
    {
        using var files = new TestFiles();
        string csv = Csv(400);
        int half = csv.IndexOf('\n', csv.Length / 2) + 1;
        byte[] cut = GzipCutAtFlush(Encoding.UTF8.GetBytes(csv[..half]), Encoding.UTF8.GetBytes(csv[half..]));

        // The premise: GZipStream alone decodes this prefix as whole rows and a clean end.
        using (var plain = new StreamReader(new GZipStream(new MemoryStream(cut), CompressionMode.Decompress)))
            Assert.Equal(csv[..half], plain.ReadToEnd());

        string path = files.Write("cut.csv.gz", cut);
        var e = Assert.Throws<GradscopeException>(() => CsvDataReader.Read(path));
        Assert.StartsWith($"{path}: the gzip data is truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryProperPrefix_FailsWithGradscopeException()
    {
        using var files = new TestFiles();
        byte[] whole = Gzip(Encoding.UTF8.GetBytes(Csv(200)));
        for (int length = 2; length < whole.Length; length++)
        {
            string path = files.Write($"p{length}.gz", whole[..length]);
            var e = Assert.Throws<GradscopeException>(() => ReadAll(path));
            Assert.StartsWith(path + ": the gzip data is", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_CorruptData_FailsNamingFile()
    {
        using var files = new TestFiles();
        byte[] bytes = Gzip(Encoding.UTF8.GetBytes(Csv(400)));
        for (int i = 20; i < 60; i++)
            bytes[i] ^= 0x55;
        string path = files.Write("bad.csv.gz", bytes);
        var e = Assert.Throws<GradscopeException>(() => CsvDataReader.Read(path));
        Assert.StartsWith($"{path}: the gzip data is corrupt", e.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void Read_BytesAfterTheGzipData_Fail()
    {
        using var files = new TestFiles();
        string path = files.Write("tail.csv.gz", [.. Gzip(Encoding.UTF8.GetBytes(Csv(10))), .. "not gzip"u8]);
        var e = Assert.Throws<GradscopeException>(() => ReadAll(path));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
    }
}
