using Gradscope.Data.Sequences;

namespace Gradscope.Tests.Data.Sequences;

public sealed class SequenceTaskTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(100)]
    public void AddingProblem_FollowsHochreiterSchmidhuber(int length)
    {
        var task = new AddingProblem(length);
        var batch = new SequenceBatch<double>(2, 1);
        var rng = new SeededRandom(3);
        for (int round = 0; round < 20; round++)
        {
            task.Fill(batch, 16, rng);
            int l = batch.Inputs.Length;
            Assert.InRange(l, length, length + (length / 10));
            for (int b = 0; b < 16; b++)
                CheckAddingSequence(batch, b, l, length);
        }
    }

    private static void CheckAddingSequence(SequenceBatch<double> batch, int b, int l, int length)
    {
        var marked = new List<int>();
        double sum = 0;
        for (int t = 0; t < l; t++)
        {
            double value = batch.Inputs[t][b, 0], marker = batch.Inputs[t][b, 1];
            Assert.InRange(value, -1.0, 1.0);
            if (marker == 1)
            {
                marked.Add(t);
                sum += value;
            }
            else if (t == 0 || t == l - 1)
            {
                Assert.Equal(-1.0, marker);
            }
            else
            {
                Assert.Equal(0.0, marker);
            }
        }

        Assert.Equal(2, marked.Count);
        Assert.True(marked[0] < (length / 2) - 1, $"second mark at {marked[0]} for T={length}");
        Assert.InRange(marked[1], 1, Math.Max(9, (length / 2) - 2));
        Assert.Equal(0.5 + (sum / 4), batch.Targets[b, 0], 12);
        if (marked[0] == 0)
            Assert.Equal(0.0, batch.Inputs[0][b, 0]);
    }

    [Fact]
    public void AddingProblem_ChanceAccuracy_MatchesConstantGuess()
    {
        var task = new AddingProblem(20);
        var batch = new SequenceBatch<double>(2, 1);
        var rng = new SeededRandom(5);
        int hits = 0, total = 0;
        for (int round = 0; round < 200; round++)
        {
            task.Fill(batch, 100, rng);
            for (int b = 0; b < 100; b++, total++)
                hits += Math.Abs(batch.Targets[b, 0] - 0.5) < AddingProblem.Criterion ? 1 : 0;
        }

        Assert.Equal(task.ChanceAccuracy, (double)hits / total, 2);
        Assert.Equal(0.1536, task.ChanceAccuracy, 4);
    }

    [Fact]
    public void AddingProblem_SameSeed_SameBatches()
    {
        var a = new SequenceBatch<float>(2, 1);
        var b = new SequenceBatch<float>(2, 1);
        new AddingProblem(30).Fill(a, 8, new SeededRandom(9));
        new AddingProblem(30).Fill(b, 8, new SeededRandom(9));
        Assert.Equal(a.Inputs.Length, b.Inputs.Length);
        Assert.Equal(a.Targets.Span.ToArray(), b.Targets.Span.ToArray());
    }

    [Fact]
    public void CopyTask_RecallPhaseRepeatsTheSymbols()
    {
        var task = new CopyTask(length: 5, symbols: 4, copyLength: 3);
        var batch = new SequenceBatch<double>(task.InputSize, task.OutputSize);
        task.Fill(batch, 2, new SeededRandom(1));
        Assert.Equal(11, batch.Inputs.Length);
        Assert.Equal(8, batch.ScoredFromStep);
        for (int b = 0; b < 2; b++)
        {
            for (int t = 0; t < 3; t++)
            {
                int symbol = batch.Labels[((8 + t) * 2) + b];
                Assert.InRange(symbol, 1, 4);
                Assert.Equal(1.0, batch.Inputs[t][b, symbol]);
            }

            Assert.Equal(1.0, batch.Inputs[7][b, 5]); // delimiter just before recall
            Assert.Equal(0, batch.Labels[(7 * 2) + b]);
        }
    }

    [Fact]
    public void TemporalOrder_ClassIsTheOrderOfXAndY()
    {
        var task = new TemporalOrder(100);
        var batch = new SequenceBatch<double>(8, 4);
        task.Fill(batch, 32, new SeededRandom(2));
        for (int b = 0; b < 32; b++)
        {
            var relevant = new List<(int T, int Symbol)>();
            for (int t = 0; t < batch.Inputs.Length; t++)
            {
                for (int s = 6; s < 8; s++)
                {
                    if (batch.Inputs[t][b, s] == 1)
                        relevant.Add((t, s));
                }
            }

            Assert.Equal(2, relevant.Count);
            Assert.InRange(relevant[0].T, 10, 20);
            Assert.InRange(relevant[1].T, 50, 60);
            int expected = ((relevant[0].Symbol - 6) * 2) + (relevant[1].Symbol - 6);
            Assert.Equal(expected, batch.Labels[b]);
            Assert.Equal(1.0, batch.Inputs[0][b, 5]);
            Assert.Equal(1.0, batch.Inputs[batch.Inputs.Length - 1][b, 4]);
        }
    }

    [Fact]
    public void Create_UnknownName_ListsValidTasks()
    {
        var ex = Assert.Throws<GradscopeException>(() => SequenceTasks.Create("parity", 10));
        Assert.Equal("Unknown sequence task 'parity'. Valid tasks: adding, copy, temporal-order.", ex.Message);
    }

    [Fact]
    public void AddingProblem_TooShort_SaysWhy()
    {
        var ex = Assert.Throws<GradscopeException>(() => new AddingProblem(4));
        Assert.Equal("The adding problem needs a length T of at least 6 (X2 is drawn from the first T/2 - 1 pairs); got 4.", ex.Message);
    }
}
