using Gradscope.Data;
using Gradscope.Data.Arrays;
using Gradscope.Data.Sequences;
using Gradscope.Initialization;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;
using static Gradscope.Tests.Data.NpzTestWriter;

namespace Gradscope.Tests.Data.Sequences;

public sealed class SequenceDatasetTests
{
    // Three sequences of 2 steps and 2 features: x[n, t, f] = 100 n + 10 t + f.
    private static SequenceDataset Small(SequenceOutput output)
    {
        var x = new double[12];
        for (int i = 0; i < x.Length; i++)
            x[i] = (100 * (i / 4)) + (10 * (i / 2 % 2)) + (i % 2);
        int[] y = output == SequenceOutput.ManyToOne ? [0, 1, 2] : [0, 1, 1, 2, 2, 0];
        return new SequenceDataset("small", x, y, 2, 2, 3, output);
    }

    [Fact]
    public void CopyBatch_ManyToOne_IsTimeMajorWithOneLabelPerSequence()
    {
        var batch = new SequenceBatch<float>(2, 3);
        Small(SequenceOutput.ManyToOne).CopyBatch<float>([2, 0], batch);

        Assert.Equal((2, 2), (batch.Inputs.Batch, batch.Inputs.Length));
        Assert.Equal([200f, 201f, 0f, 1f], batch.Inputs[0].Span.ToArray());
        Assert.Equal([210f, 211f, 10f, 11f], batch.Inputs[1].Span.ToArray());
        Assert.Equal([2, 0], batch.Labels.ToArray());
        Assert.Equal(0, batch.Targets.Rows);
    }

    [Fact]
    public void CopyBatch_ManyToMany_PutsStepTOfSequenceBAtRowTTimesBatchPlusB()
    {
        var batch = new SequenceBatch<double>(2, 3);
        Small(SequenceOutput.ManyToMany).CopyBatch<double>([1, 2], batch);

        // Sequence 1 has labels [1, 2], sequence 2 has [2, 0]; rows are t * 2 + b.
        Assert.Equal([1, 2, 2, 0], batch.Labels.ToArray());
        Assert.Equal(0, batch.ScoredFromStep);
    }

    [Fact]
    public void Split_PutsEverySequenceOnOneSide()
    {
        var data = Small(SequenceOutput.ManyToMany);
        var (train, test) = data.Split(0.34, seed: 5);

        Assert.Equal((2, 1), (train.Count, test.Count));
        var firsts = new List<double> { train.Sequence(0)[0], train.Sequence(1)[0], test.Sequence(0)[0] };
        firsts.Sort();
        Assert.Equal([0.0, 100, 200], firsts);
    }

    [Fact]
    public void Constructor_LabelOutOfRange_Throws()
    {
        var error = Assert.Throws<GradscopeException>(() => new SequenceDataset("s", new double[4], [0, 3], 2, 1, 3, SequenceOutput.ManyToOne));
        Assert.Equal("Sequence data set 's': label 1 is 3, outside [0, 3) for 3 classes.", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trainer_LearnsSequencesReadFromAnNpzFile(bool perStep)
    {
        using var files = new TestFiles();
        string path = files.Write("signs.npz", SignTask(200, steps: 4, perStep, seed: 7));
        var sequences = ArrayDataFile.ReadSequences(path);
        var data = AsDataset(sequences);
        var spec = NetworkSpec.FromJson($$"""{"layers":[{"type":"gru","hidden":8,"sequence":"{{(perStep ? "all" : "last")}}"}]}""", 2, 2) with { Steps = 4 };
        var model = spec.Build<float>(new GlorotUniform(), new SeededRandom(1));
        var trainer = new Trainer<float>(model, Loss.Parse<float>("cross-entropy"), Optimizer.Create<float>("adam", new OptimizerOptions { LearningRate = 0.03 }),
            new TrainerOptions { Epochs = 12, BatchSize = 16, ClipNorm = 1, Seed = 2 });
        double before = trainer.Evaluate(data).Loss;

        var result = trainer.Train(data);

        Assert.Equal(perStep ? SequenceOutput.ManyToMany : SequenceOutput.ManyToOne, sequences.Output);
        Assert.True(result.Final!.TrainLoss < 0.5 * before, $"final loss {result.Final.TrainLoss} vs before {before}");
        Assert.True(result.Final.TrainAccuracy > 0.9, $"accuracy {result.Final.TrainAccuracy}");
    }

    // The file's sequences as the trainer's data: rows of [T, F], labels per sequence or per step ([N, T]).
    private static Dataset AsDataset(SequenceDataset sequences)
    {
        bool perStep = sequences.Output == SequenceOutput.ManyToMany;
        return new Dataset(sequences.Name, sequences.Features, perStep ? new int[sequences.Count] : sequences.Labels, sequences.Length * sequences.FeatureCount, sequences.ClassCount)
        {
            Sequence = new SequenceShape(sequences.Length, sequences.FeatureCount),
            StepLabels = perStep ? new StepLabels(sequences.Labels, sequences.Length) : null,
        };
    }

    /// <summary>
    /// x [n, steps, 2] uniform in [-1, 1]; the label is whether the first feature of the first step
    /// is positive (one per sequence: it must be remembered) or of each step (one per step).
    /// </summary>
    private static byte[] SignTask(int count, int steps, bool perStep, int seed)
    {
        var rng = new SeededRandom(seed);
        var x = new float[count * steps * 2];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)rng.NextUniform(-1, 1);
        var y = new long[perStep ? count * steps : count];
        for (int i = 0; i < y.Length; i++)
            y[i] = x[(perStep ? i : i * steps) * 2] > 0 ? 1 : 0;
        int[] yShape = perStep ? [count, steps] : [count];
        return Zip(true, ("x.npy", Npy("<f4", [count, steps, 2], Float32(x))), ("y.npy", Npy("<i8", yShape, Int64(y))));
    }
}
