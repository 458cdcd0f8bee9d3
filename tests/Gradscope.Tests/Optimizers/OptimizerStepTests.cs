using Gradscope.Optimizers;

namespace Gradscope.Tests.Optimizers;

// Each test starts at p = [1, -2] with gradients [0.5, 1], then [-1, 3], then [0.25, -0.5]
// (OptimizerRun), and checks the value after each of the three steps, in double and in float.
public class OptimizerStepTests
{
    // lr 0.1: p -= 0.1 g
    // step 1: [1 - 0.05, -2 - 0.1] = [0.95, -2.1]
    // step 2: [0.95 + 0.1, -2.1 - 0.3] = [1.05, -2.4]
    // step 3: [1.05 - 0.025, -2.4 + 0.05] = [1.025, -2.35]
    [Fact]
    public void Sgd_MatchesHandComputedSteps() =>
        Check(() => new Sgd<double>(0.1), () => new Sgd<float>(0.1), [[0.95, -2.1], [1.05, -2.4], [1.025, -2.35]]);

    // lr 0.1, mu 0.9: buf = g on step 1, then buf = 0.9 buf + g; p -= 0.1 buf
    // step 1: buf = [0.5, 1];                                  p = [0.95, -2.1]
    // step 2: buf = [0.45 - 1, 0.9 + 3] = [-0.55, 3.9];        p = [0.95 + 0.055, -2.1 - 0.39] = [1.005, -2.49]
    // step 3: buf = [-0.495 + 0.25, 3.51 - 0.5] = [-0.245, 3.01]; p = [1.005 + 0.0245, -2.49 - 0.301] = [1.0295, -2.791]
    [Fact]
    public void Momentum_MatchesHandComputedSteps() =>
        Check(() => new Sgd<double>(0.1, 0.9), () => new Sgd<float>(0.1, 0.9), [[0.95, -2.1], [1.005, -2.49], [1.0295, -2.791]]);

    // Same buf as momentum; p -= 0.1 (g + 0.9 buf)
    // step 1: g + 0.9 buf = [0.5 + 0.45, 1 + 0.9] = [0.95, 1.9];              p = [0.905, -2.19]
    // step 2: [-1 - 0.495, 3 + 3.51] = [-1.495, 6.51];                        p = [1.0545, -2.841]
    // step 3: [0.25 - 0.2205, -0.5 + 2.709] = [0.0295, 2.209];                p = [1.05155, -3.0619]
    [Fact]
    public void Nesterov_MatchesHandComputedSteps() =>
        Check(
            () => new Sgd<double>(0.1, 0.9, nesterov: true),
            () => new Sgd<float>(0.1, 0.9, nesterov: true),
            [[0.905, -2.19], [1.0545, -2.841], [1.05155, -3.0619]]);

    // lr 0.01, alpha 0.99, eps 1e-8: v = 0.99 v + 0.01 g^2; p -= 0.01 g / (sqrt(v) + 1e-8). First element:
    // step 1: v = 0.0025,                        p = 1 - 0.005 / 0.05000001 = 0.90000002
    // step 2: v = 0.002475 + 0.01 = 0.012475,    p = 0.90000002 + 0.01 / 0.11169153 = 0.98953231
    // step 3: v = 0.01235025 + 0.000625,         p = 0.98953231 - 0.0025 / 0.11390895 = 0.96758496
    [Fact]
    public void RmsProp_MatchesHandComputedSteps() =>
        Check(
            () => new RmsProp<double>(),
            () => new RmsProp<float>(),
            [[0.900000019999996, -2.099999990000001], [0.9895323081911337, -2.194915786572248], [0.9675849574904029, -2.1792140071645663]]);

    // lr 0.001, betas 0.9 / 0.999, eps 1e-8; p -= (lr / (1 - 0.9^t)) m / (sqrt(v) / sqrt(1 - 0.999^t) + eps). First element:
    // step 1: m = 0.05, v = 0.00025; m^ = 0.5, v^ = 0.25:           p = 1 - 0.001 * 0.5 / (0.5 + 1e-8) = 0.99900000002
    // step 2: m = 0.045 - 0.1 = -0.055, v = 0.00024975 + 0.001 = 0.00124975;
    //         m^ = -0.055 / 0.19 = -0.28947368, sqrt(v^) = sqrt(0.00124975 / 0.001999) = 0.79068805;
    //         p = 0.99900000002 + 0.001 * 0.28947368 / 0.79068806 = 0.99936610
    // step 3: m = -0.0495 + 0.025 = -0.0245, v = 0.00124850 + 0.0000625 = 0.00131100; p = 0.99950279
    [Fact]
    public void Adam_MatchesHandComputedSteps() =>
        Check(
            () => new Adam<double>(),
            () => new Adam<float>(),
            [[0.99900000002, -2.00099999999], [0.9993661035424056, -2.0019177811048765], [0.9995027942033897, -2.0025186944564055]]);

    // As Adam, but first p *= 1 - 0.001 * 0.01 each step: step 1: 1 * 0.99999 - 0.00099999998 = 0.99899000002.
    [Fact]
    public void AdamW_MatchesHandComputedSteps() =>
        Check(
            () => new Adam<double>(weightDecay: 0.01, decoupledWeightDecay: true),
            () => new Adam<float>(weightDecay: 0.01, decoupledWeightDecay: true),
            [[0.99899000002, -2.00097999999], [0.9993461136424056, -2.001877771304877], [0.9994728108422533, -2.0024586658786934]]);

    // Adam with L2 decay 0.01: g = grad + 0.01 p. Step 1: g = [0.5 + 0.01, 1 - 0.02] = [0.51, 0.98];
    // m^ = g and sqrt(v^) = |g|, so p = 1 - 0.001 * 0.51 / (0.51 + 1e-8) = 0.9990000000196; later steps
    // differ from plain Adam through p in g.
    [Fact]
    public void AdamWithL2_MatchesHandComputedSteps() =>
        Check(
            () => new Adam<double>(weightDecay: 0.01),
            () => new Adam<float>(weightDecay: 0.01),
            [[0.9990000000196079, -2.000999999989796], [0.9993548556538864, -2.0019161598178075], [0.999476653044632, -2.0025102831769255]]);

    // lr 0.1, wd 0.1: g = grad + 0.1 p = [0.5 + 0.1, 1 - 0.2] = [0.6, 0.8]; p = [1 - 0.06, -2 - 0.08] = [0.94, -2.08].
    [Fact]
    public void SgdWeightDecay_AddsL2TermToGradient()
    {
        double[][] values = OptimizerRun.Values(new Sgd<double>(0.1, weightDecay: 0.1));
        Assert.Equal(0.94, values[0][0], 1e-12);
        Assert.Equal(-2.08, values[0][1], 1e-12);
    }

    // A bias is not decayed unless DecayBiases: plain step [0.95, -2.1] versus decayed [0.94, -2.08].
    [Fact]
    public void WeightDecay_SkipsBiasesUnlessAsked()
    {
        double[][] skipped = OptimizerRun.Values(new Sgd<double>(0.1, weightDecay: 0.1), "bias");
        double[][] decayed = OptimizerRun.Values(new Sgd<double>(0.1, weightDecay: 0.1, decayBiases: true), "bias");
        Assert.Equal(0.95, skipped[0][0], 1e-12);
        Assert.Equal(0.94, decayed[0][0], 1e-12);
    }

    [Fact]
    public void Step_LeavesGradientUnchanged()
    {
        var parameter = OptimizerRun.NewParameter<float>("weight", 1, -2);
        OptimizerRun.SetGradient(parameter, 0.5, 1);
        new Adam<float>(weightDecay: 0.1).Step([parameter]);
        Assert.Equal([0.5f, 1f], parameter.Grad.Span.ToArray());
    }

    [Fact]
    public void LearningRate_ChangesLaterSteps()
    {
        var optimizer = new Sgd<double>(0.1);
        var parameter = OptimizerRun.NewParameter<double>("weight", 1);
        OptimizerRun.SetGradient(parameter, 2);
        optimizer.Step([parameter]);
        optimizer.LearningRate = 0.01;
        optimizer.Step([parameter]);
        Assert.Equal(1 - 0.2 - 0.02, parameter.Value[0, 0], 1e-12);
    }

    private static void Check(Func<IOptimizer<double>> createDouble, Func<IOptimizer<float>> createFloat, double[][] expected)
    {
        OptimizerRun.AssertValues(expected, OptimizerRun.Values(createDouble()), 1e-12);
        OptimizerRun.AssertValues(expected, OptimizerRun.Values(createFloat()), 2e-6);
    }
}
