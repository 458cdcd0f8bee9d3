namespace Gradscope.Diagnostics;

/// <summary>
/// One dense layer's gradient and activation statistics at one step (DESIGN section 3). Names
/// match the JSON fields <c>inspect</c> prints.
/// </summary>
/// <param name="Name">The tensor-name prefix of the dense layer (<c>0</c>, <c>2</c>, ...).</param>
/// <param name="GradNorm">L2 norm of dLoss/dW.</param>
/// <param name="GradRms">RMS of dLoss/dW.</param>
/// <param name="BiasGradNorm">L2 norm of dLoss/db.</param>
/// <param name="DeltaRms">RMS of dLoss/d(pre-activation) over the batch.</param>
/// <param name="ActMean">Mean of the layer's output (after its activation; the logits for the last layer).</param>
/// <param name="ActStd">Standard deviation of the layer's output.</param>
/// <param name="Saturated">Fraction of (sample, unit) pairs whose activation derivative is below 1% of its maximum.</param>
/// <param name="Dead">Fraction of units saturated for every sample of the batch.</param>
/// <param name="WeightNorm">L2 norm of W.</param>
public readonly record struct LayerStatistics(
    string Name,
    double GradNorm,
    double GradRms,
    double BiasGradNorm,
    double DeltaRms,
    double ActMean,
    double ActStd,
    double Saturated,
    double Dead,
    double WeightNorm);
