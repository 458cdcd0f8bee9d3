using System.Text;
using Gradscope.Data;
using Gradscope.Data.Catalog;
using Gradscope.Memory;
using Gradscope.Serialization.Safetensors;
using Gradscope.Tests.Data;

namespace Gradscope.Tests.Memory;

/// <summary>Loaders stop at a bound derived from the memory limit, and say which file.</summary>
public sealed class BoundedReadTests
{
    [Fact]
    public void Csv_FromAStreamThatNeverEnds_StopsAtTheBound()
    {
        var endless = new EndlessStream("1,2,3\n"u8.ToArray());
        using var capped = new CappedStream(endless, 1_000_000, max => new MemoryLimitException($"over {max}"));

        var ex = Assert.Throws<MemoryLimitException>(() => DataText.ReadAll(capped, "pipe"));

        Assert.Equal("over 1000000", ex.Message);
        Assert.InRange(endless.BytesRead, 1_000_001, 1_200_000);
    }

    [Fact]
    public void Csv_FromAFifoThatNeverEnds_StopsAtAnEighthOfTheLimit()
    {
        using var fifo = new Fifo("endless.csv");
        fifo.Feed(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1,2,3\n", 10_000))), endless: true);
        using var limit = MemoryBudget.Override(8_000_000);

        var ex = Assert.Throws<MemoryLimitException>(() => CsvDataReader.Read(fifo.Path));

        Assert.Equal(
            $"{fifo.Path}: the data goes on past 1.0 MB, the most a text data file may hold (1/8 of the memory) when 8.0 MB are allowed by GRADSCOPE_MEMORY_LIMIT; is it a device or a pipe that never ends?",
            ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Csv_FromAFifo_ReadsPlainAndGzip(bool gzip)
    {
        using var files = new TestFiles();
        byte[] bytes = File.ReadAllBytes(files.Write("d.csv", "a,b,label\n1,2,x\n3,4,y\n"u8.ToArray(), gzip));
        using var fifo = new Fifo("d.csv");
        fifo.Feed(bytes);

        var data = CsvDataReader.Read(fifo.Path);

        Assert.Equal(2, data.Count);
        Assert.Equal(["x", "y"], data.ClassNames);
    }

    [Fact]
    public void Csv_WithANulByte_IsRefusedAtOnce()
    {
        using var files = new TestFiles();
        string path = files.Write("zeros.csv", [(byte)'a', (byte)',', (byte)'b', (byte)'\n', 0, 0, 0]);

        var ex = Assert.Throws<GradscopeException>(() => CsvDataReader.Read(path));

        Assert.Equal($"{path}: character 5 is a NUL (zero) byte, which text never holds; is this a binary file or a device?", ex.Message);
    }

    [Fact]
    public void Csv_LargerThanTheBound_IsRefusedBeforeReading()
    {
        using var files = new TestFiles();
        string path = files.WriteText("big.csv", "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 1000)));
        using var limit = MemoryBudget.Override(8000);

        var ex = Assert.Throws<MemoryLimitException>(() => CsvDataReader.Read(path));

        Assert.Equal($"{path}: the file is 4.0 kB, more than the 1.0 kB a text data file may hold (1/8 of the memory) when 8.0 kB are allowed by GRADSCOPE_MEMORY_LIMIT.", ex.Message);
    }

    [Fact]
    public void Idx_MoreImagesThanMemory_IsRefusedBeforeReadingPixels()
    {
        using var files = new TestFiles();
        string images = files.Write("i", IdxReaderTests.ThreeImages());
        string labels = files.Write("l", IdxReaderTests.ThreeLabels());
        using var limit = MemoryBudget.Override(100);

        var ex = Assert.Throws<MemoryLimitException>(() => IdxReader.Read(images, labels, "t", [.. Enumerable.Range(0, 10).Select(i => i.ToString())]));

        Assert.Equal($"{images}: reading 3 images of 2x3 needs about 156 bytes, but 100 bytes are allowed by GRADSCOPE_MEMORY_LIMIT.", ex.Message);
    }

    [Fact]
    public void Safetensors_FromAStreamThatNeverEnds_StopsAtTheBound()
    {
        var endless = new EndlessStream([0x10, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']);
        using var limit = MemoryBudget.Override(4_000_000);

        var ex = Assert.Throws<MemoryLimitException>(() => SafetensorsFile.Read(endless, "pipe.safetensors"));

        Assert.StartsWith("pipe.safetensors: the stream goes on past 1.0 MB", ex.Message, StringComparison.Ordinal);
        Assert.InRange(endless.BytesRead, 1_000_001, 1_200_000);
    }

    [Fact]
    public void Safetensors_MoreValuesThanMemory_IsRefusedBeforeDecoding()
    {
        using var files = new TestFiles();
        string path = Path.Combine(files.Directory, "m.safetensors");
        SafetensorsFile.Write(path, [new SafetensorsTensor("w", "F32", [100, 10], new double[1000])], null);
        using var limit = MemoryBudget.Override(4000);

        var ex = Assert.Throws<MemoryLimitException>(() => SafetensorsFile.Read(path));

        Assert.Equal($"{path}: reading its 1000 values needs about 8.0 kB, but 4.0 kB are allowed by GRADSCOPE_MEMORY_LIMIT.", ex.Message);
    }

    [Fact]
    public void Synthetic_MoreRowsThanAnArrayHolds_IsAnOptionError()
    {
        var ex = Assert.Throws<GradscopeException>(() => DatasetCatalog.Load("spiral", new DataOptions { Count = int.MaxValue }));

        Assert.IsNotType<MemoryLimitException>(ex);
        Assert.StartsWith("spiral: 2147483647 points of 2 dimensions are 4294967294 values", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthetic_MoreRowsThanMemory_IsRefusedBeforeGenerating()
    {
        using var limit = MemoryBudget.Override(10_000_000);

        var ex = Assert.Throws<MemoryLimitException>(() => DatasetCatalog.Load("teacher", new DataOptions { Count = 1_000_000 }));

        Assert.Equal("the teacher data set of 1000000 rows needs about 84.0 MB, but 10.0 MB are allowed by GRADSCOPE_MEMORY_LIMIT.", ex.Message);
    }

    [Fact]
    public void CopyTask_RowsWiderThanTheLength_AreCountedBeforeDrawing()
    {
        // 64 sequences of T + 20 = 1020 steps x 10 features, held twice (the draw's batch and the
        // rows): about 10 MB, where 8 values per step of T would say 4 MB.
        using var limit = MemoryBudget.Override(6_000_000);

        var ex = Assert.Throws<MemoryLimitException>(() => DatasetCatalog.Load("copy", new DataOptions { Count = 64, SequenceLength = 1000 }));

        Assert.StartsWith("the copy task of 64 sequences of 1020 steps x 10 features needs about 10.", ex.Message, StringComparison.Ordinal);
    }
}
