using Gradscope.Data;
using Gradscope.Data.Catalog;
using Gradscope.Lab.Runs;
using Gradscope.Tests.Data;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Runs;

/// <summary>How a run's data is split and checked before training: official test sets, validation splits, class counts.</summary>
public sealed class PreparedRunTests
{
    /// <summary>IDX images of 2x2 pixels, <paramref name="count"/> of them, labelled 0..9 in turn.</summary>
    private static void WriteIdx(TestFiles files, string prefix, int count)
    {
        var pixels = new byte[count * 4];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
            for (int p = 0; p < 4; p++)
                pixels[(i * 4) + p] = (byte)((labels[i] * 25) + (p * 3) + (i % 7));
        }

        files.Write($"{prefix}-images-idx3-ubyte.gz", Idx(IdxReader.ImagesMagic, [count, 2, 2], pixels), gzip: true);
        files.Write($"{prefix}-labels-idx1-ubyte.gz", Idx(IdxReader.LabelsMagic, [count], labels), gzip: true);
    }

    // IDX bytes: magic, the dimension sizes, then the body (as IdxReaderTests writes them).
    private static byte[] Idx(int magic, int[] dims, byte[] body)
    {
        var bytes = new byte[4 + (4 * dims.Length) + body.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        body.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    private static PreparedRun<float> Prepare(TestFiles files, double? testSplit) => PreparedRun<float>.Create(new TestFlags
    {
        Data = "fashion-mnist",
        DataOptions = new DataOptions { DataDir = files.Directory },
        TestSplit = testSplit,
        Hidden = [4],
        Epochs = 1,
    });

    [Fact]
    public void OfficialTestFiles_AreTheTestSet_AndNothingIsSplitOff()
    {
        using var files = new TestFiles();
        WriteIdx(files, "train", 40);
        WriteIdx(files, "t10k", 7);
        var run = Prepare(files, null);
        Assert.Equal(40, run.Train.Count);
        Assert.Equal("fashion-mnist-test", run.Test!.Name);
        Assert.Equal(7, run.Test.Count);
        Assert.Equal(HeldOutKind.OfficialTest, run.TestKind);
        Assert.Null(run.FinalTest);
        Assert.Null(run.EvaluateFinalTest());
    }

    [Fact]
    public void OfficialTestFiles_WithATestSplit_HoldOutValidationFromTheTrainingFiles()
    {
        using var files = new TestFiles();
        WriteIdx(files, "train", 40);
        WriteIdx(files, "t10k", 7);
        var run = Prepare(files, 0.25);
        Assert.Equal(30, run.Train.Count);
        Assert.Equal(10, run.Test!.Count);
        Assert.Equal("fashion-mnist", run.Test.Name);
        Assert.Equal(HeldOutKind.Validation, run.TestKind);
        Assert.Equal(7, run.FinalTest!.Count);
        Assert.NotNull(run.EvaluateFinalTest());

        // The official test set is standardized with the training rows' statistics, like the rest.
        Assert.Equal(run.Standardizer!.Apply(DatasetCatalog.LoadOfficialTest("fashion-mnist", new DataOptions { DataDir = files.Directory })!).Features, run.FinalTest.Features);
    }

    [Fact]
    public void NoOfficialTestFiles_DefaultSplitIsATestSplit()
    {
        using var files = new TestFiles();
        WriteIdx(files, "train", 40);
        var run = Prepare(files, null);
        Assert.Equal(32, run.Train.Count);
        Assert.Equal(8, run.Test!.Count);
        Assert.Equal(HeldOutKind.TestSplit, run.TestKind);
        Assert.Null(run.FinalTest);
    }

    [Fact]
    public void OneClass_CannotTrain()
    {
        using var files = new TestFiles();
        string path = files.WriteText("one.csv", "a,b,label\n1,2,7\n3,4,7\n5,6,7\n");
        var e = Assert.Throws<GradscopeException>(() => PreparedRun<float>.Create(new TestFlags { Data = path }));
        Assert.Equal($"{path}: the data has one class ('7'); training a classifier needs two or more classes. Is the label column the right one?", e.Message);
    }

    [Fact]
    public void ClassLabels_AreTheFileLabels_OrNullForBuiltInSets()
    {
        using var files = new TestFiles();
        string path = files.WriteText("d.csv", "a,label\n1,5\n2,0\n3,2\n4,5\n5,0\n");
        Assert.Equal(["0", "2", "5"], PreparedRun<float>.Create(new TestFlags { Data = path, Hidden = [4] }).ClassLabels);
        Assert.Null(PreparedRun<float>.Create(new TestFlags { Data = "xor", Hidden = [4] }).ClassLabels);
    }
}
