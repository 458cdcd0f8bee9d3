using Gradscope.Layers;
using Gradscope.Tests.TestSupport;

namespace Gradscope.Tests.Layers;

public sealed class GradientCheckTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in LayerRegistry.All)
            data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Layer_PassesGradientCheck(string name)
    {
        var c = LayerRegistry.All.Single(x => x.Name == name);
        double error = GradientCheck.MaxRelativeError(c.Create(), c.Input());
        Assert.True(error < 1e-6, $"{name}: max relative error {error:E2}");
    }

    [Fact]
    public void Registry_CoversEveryLayerType()
    {
        var covered = LayerRegistry.All.Select(c => c.LayerType).ToHashSet();
        var layerTypes = typeof(ILayer<>).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && !t.IsInterface)
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILayer<>)))
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t)
            .ToList();
        var missing = layerTypes.Where(t => !covered.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, "Layers without a gradient check: " + string.Join(", ", missing));
        Assert.NotEmpty(layerTypes);
    }

    [Fact]
    public void Dense_WithoutInputGradient_StillComputesParameterGradients()
    {
        var dense = LayerRegistry.RandomDense(4, 3, seed: 9);
        var input = GradientCheck.RandomInput(2, 4, seed: 10);
        dense.Forward(input, training: true);
        dense.ComputesInputGradient = false;
        var gradOutput = GradientCheck.RandomInput(2, 3, seed: 12);
        var gradInput = dense.Backward(gradOutput);
        Assert.Equal(0, gradInput.Rows);
        double expected = gradOutput[0, 1] + gradOutput[1, 1];
        Assert.Equal(expected, dense.Bias.Grad[0, 1], 12);
    }
}
