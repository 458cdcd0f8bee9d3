using Gradscope.Data;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// A control for the normalized init's "level" claim: the same measurement on the probe rows with
/// the pixels scaled so that their second moment E[x^2] is MNIST's. The paper's derivation
/// (Sec. 4.2.1) assumes tanh's linear regime; brighter inputs push the pre-activations out of it,
/// and each layer's tanh'(s)^2 &lt; 1 then shrinks the back-propagated variance toward the input.
/// </summary>
internal static class Glorot2010Control
{
    /// <summary>MNIST's pixel mean on [0, 1] (the usual normalization constant).</summary>
    public const double MnistMean = 0.1307;

    /// <summary>MNIST's pixel standard deviation on [0, 1].</summary>
    public const double MnistStd = 0.3081;

    /// <summary>MNIST's E[x^2], about 0.112.</summary>
    public static double MnistSecondMoment => (MnistMean * MnistMean) + (MnistStd * MnistStd);

    /// <summary>The mean of the squared features of <paramref name="data"/>.</summary>
    public static double SecondMoment(Dataset data)
    {
        double squares = 0;
        foreach (double v in data.Features)
            squares += v * v;
        return data.Features.Length == 0 ? double.NaN : squares / data.Features.Length;
    }

    /// <summary>
    /// Tanh with the normalized init, measured at initialization on the first probe rows scaled to
    /// MNIST's E[x^2]; returns the scale and the measurement.
    /// </summary>
    public static (double Scale, InitGradients Init) TanhNormalizedAtMnistScale(Glorot2010Plan plan, Glorot2010Rows rows, int seed, string? dataDir)
    {
        int n = Math.Min(plan.ProbeRows, rows.Train.Count);
        var indices = new int[n];
        for (int i = 0; i < n; i++)
            indices[i] = i;
        var probe = rows.Train.Subset(indices);
        double scale = Math.Sqrt(MnistSecondMoment / SecondMoment(probe));
        var features = new double[probe.Features.Length];
        for (int i = 0; i < features.Length; i++)
            features[i] = probe.Features[i] * scale;
        var scaled = new Dataset(probe.Name, features, probe.Labels, probe.FeatureCount, probe.ClassCount);
        var tanh = new Glorot2010Configuration("tanh", Glorot2010Configuration.NormalizedInit, null);
        var config = Glorot2010Trial.CreateConfig(plan, tanh, plan.LearningRates[0], seed, dataDir) with { Data = Glorot2010Trial.CreateConfig(plan, tanh, plan.LearningRates[0], seed, dataDir).Data with { TestSplit = 0 } };
        var run = PreparedRun<float>.Create(config, scaled);
        return (scale, InitGradientProbe.Measure(run, n));
    }
}
