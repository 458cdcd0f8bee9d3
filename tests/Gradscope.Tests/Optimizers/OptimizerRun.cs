using System.Numerics;
using Gradscope.Layers;
using Gradscope.Optimizers;

namespace Gradscope.Tests.Optimizers;

/// <summary>Runs an optimizer on one two-element parameter, starting at [1, -2], with fixed gradients.</summary>
internal static class OptimizerRun
{
    /// <summary>The gradient of steps 1, 2 and 3.</summary>
    public static readonly double[][] Gradients = [[0.5, 1.0], [-1.0, 3.0], [0.25, -0.5]];

    public static Parameter<T> NewParameter<T>(string name, params double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameter = new Parameter<T>(name, 1, values.Length);
        for (int i = 0; i < values.Length; i++)
            parameter.Value.Span[i] = T.CreateTruncating(values[i]);
        return parameter;
    }

    public static void SetGradient<T>(Parameter<T> parameter, params double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
            parameter.Grad.Span[i] = T.CreateTruncating(values[i]);
    }

    /// <summary>The parameter's value after each step.</summary>
    public static double[][] Values<T>(IOptimizer<T> optimizer, string parameterName = "weight")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Parameter<T> parameter = NewParameter<T>(parameterName, 1.0, -2.0);
        Parameter<T>[] parameters = [parameter];
        var values = new double[Gradients.Length][];
        for (int step = 0; step < Gradients.Length; step++)
        {
            SetGradient(parameter, Gradients[step]);
            optimizer.Step(parameters);
            values[step] = [double.CreateTruncating(parameter.Value[0, 0]), double.CreateTruncating(parameter.Value[0, 1])];
        }

        return values;
    }

    public static void AssertValues(double[][] expected, double[][] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int step = 0; step < expected.Length; step++)
        {
            for (int i = 0; i < expected[step].Length; i++)
                Assert.Equal(expected[step][i], actual[step][i], tolerance);
        }
    }
}
