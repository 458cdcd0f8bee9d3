using Gradscope.Diagnostics;

namespace Gradscope.Server.Steps;

/// <summary>
/// The rows a step request answers with: <c>Values[s][row * Width + j]</c> is statistic
/// <c>Stats[s]</c> of the j-th selected layer at row <c>row</c>.
/// </summary>
internal sealed class StepTable(LayerStat[] stats, int width, int capacity)
{
    public LayerStat[] Stats { get; } = stats;

    public int Width { get; } = width;

    public int Count { get; private set; }

    public List<long> StepNumbers { get; } = new(capacity);

    public List<double> Loss { get; } = new(capacity);

    public List<double> LearningRate { get; } = new(capacity);

    public double[][] Values { get; } = Enumerable.Range(0, stats.Length).Select(_ => new double[capacity * width]).ToArray();

    /// <summary>Adds a row and returns its index; the caller fills its <see cref="Width"/> values in each of <see cref="Values"/>.</summary>
    public int AddRow(long step, double loss, double learningRate)
    {
        StepNumbers.Add(step);
        Loss.Add(loss);
        LearningRate.Add(learningRate);
        return Count++;
    }

    /// <summary>The values of statistic <paramref name="s"/> at <paramref name="row"/>.</summary>
    public Span<double> Row(int s, int row) => Values[s].AsSpan(row * Width, Width);
}
