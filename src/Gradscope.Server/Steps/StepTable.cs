using Gradscope.Diagnostics;

namespace Gradscope.Server.Steps;

/// <summary>
/// The selected statistics of a range of steps, column-friendly: <c>Values[s][row * Width + j]</c>
/// is statistic <c>Stats[s]</c> of the j-th selected layer at row <c>row</c>.
/// </summary>
internal sealed class StepTable(LayerStat[] stats, int width, int capacity)
{
    public LayerStat[] Stats { get; } = stats;

    public int Width { get; } = width;

    public int Count { get; private set; }

    public List<long> StepNumbers { get; } = new(capacity);

    public List<double> Loss { get; } = new(capacity);

    public List<double> LearningRate { get; } = new(capacity);

    public List<double>[] Values { get; } = Enumerable.Range(0, stats.Length).Select(_ => new List<double>(capacity * width)).ToArray();

    /// <summary>Starts a row; the caller then adds <see cref="Width"/> values to each of <see cref="Values"/>.</summary>
    public void AddRow(long step, double loss, double learningRate)
    {
        StepNumbers.Add(step);
        Loss.Add(loss);
        LearningRate.Add(learningRate);
        Count++;
    }
}
