using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Theory;

/// <summary>The mean training loss of the last few steps: a trainability cell's final loss, less noisy than one batch's.</summary>
internal sealed class RecentLoss(int steps) : ITrainingObserver<double>
{
    private readonly double[] _losses = new double[steps];
    private int _count;

    /// <summary>Mean over the last <c>steps</c> steps taken (fewer when training was shorter); NaN before any.</summary>
    public double Mean
    {
        get
        {
            int n = Math.Min(_count, _losses.Length);
            double sum = 0;
            for (int i = 0; i < n; i++)
                sum += _losses[i];
            return n == 0 ? double.NaN : sum / n;
        }
    }

    public void OnGradients(Sequential<double> model, in StepInfo step)
    {
    }

    public void OnStepEnd(Sequential<double> model, in StepInfo step) => _losses[_count++ % _losses.Length] = step.Loss;

    public void OnEpochEnd(EpochResult epoch)
    {
    }
}
