using Gradscope.Data.Sequences;
using Gradscope.Recurrent;
using Gradscope.Tests.TestSupport;

namespace Gradscope.Tests.Recurrent;

public sealed class RecurrentGradientCheckTests
{
    public static TheoryData<string, SequenceOutput> Cases()
    {
        var data = new TheoryData<string, SequenceOutput>();
        foreach (var c in RecurrentRegistry.All)
        {
            data.Add(c.Name, SequenceOutput.ManyToOne);
            data.Add(c.Name, SequenceOutput.ManyToMany);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cell_PassesGradientCheck(string name, SequenceOutput output)
    {
        // 3 sequences of 5 steps of 3 features, through the cell and a head, input and every tensor checked.
        var model = RecurrentRegistry.Model(name, output, steps: 5);
        var input = GradientCheck.RandomInput(rows: 3, cols: 5 * 3, seed: 11);
        double error = GradientCheck.MaxRelativeError(model, input);
        Assert.True(error < 1e-6, $"{name} {output}: max relative error {error:E2}");
    }

    [Fact]
    public void Registry_CoversEveryRecurrentCell()
    {
        var covered = RecurrentRegistry.All.Select(c => c.CellType).ToHashSet();
        var cellTypes = typeof(RecurrentLayer<>).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(RecurrentLayer<>))
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t)
            .ToList();
        var missing = cellTypes.Where(t => !covered.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, "Recurrent cells without a gradient check: " + string.Join(", ", missing));
        Assert.Equal(3, cellTypes.Count);
    }

    [Fact]
    public void Backward_IsRepeatable_AndAccumulatesParameterGradients()
    {
        var model = RecurrentRegistry.Model("lstm", SequenceOutput.ManyToOne, steps: 4);
        var cell = Assert.IsType<SequenceLayer<double>>(model.Layers[0]).Cell;
        var input = GradientCheck.RandomInput(2, 4 * 3, seed: 5);
        var gradOutput = GradientCheck.RandomInput(2, 2, seed: 6);
        model.ZeroGrad();
        model.Forward(input, training: true);
        model.Backward(gradOutput);
        double once = cell.WeightHh.Grad[1, 2];
        model.Forward(input, training: true);
        model.Backward(gradOutput);
        Assert.Equal(2 * once, cell.WeightHh.Grad[1, 2], 12);
    }

    [Fact]
    public void Forward_WrongFeatureCount_NamesBothSizes()
    {
        var cell = new Gru<double>(3, 4);
        var ex = Assert.Throws<GradscopeException>(() => cell.Forward(new Sequence<double>(2, 5, 2)));
        Assert.Equal("gru layer expects sequences with 3 features per step but got 2.", ex.Message);
    }

    [Fact]
    public void SimpleRnn_UnsupportedNonlinearity_ListsValidOnes()
    {
        var ex = Assert.Throws<GradscopeException>(() => new SimpleRnn<double>(2, 3, "sigmoid"));
        Assert.Equal("A simple RNN's nonlinearity must be one of tanh, relu; got 'sigmoid'.", ex.Message);
    }

    [Fact]
    public void Parameters_HavePyTorchNamesAndShapes()
    {
        var lstm = new Lstm<float>(3, 5);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"], lstm.Parameters.Select(p => p.Name));
        Assert.Equal((20, 3), (lstm.WeightIh.Value.Rows, lstm.WeightIh.Value.Cols));
        Assert.Equal((20, 5), (lstm.WeightHh.Value.Rows, lstm.WeightHh.Value.Cols));
        Assert.Equal((1, 15), (new Gru<float>(3, 5).BiasHh.Value.Rows, new Gru<float>(3, 5).BiasHh.Value.Cols));
    }

    [Fact]
    public void Lstm_ForgetGateBias_SetsTotalForgetBiasToOne()
    {
        var lstm = new Lstm<double>(2, 3, forgetGateBias: true);
        lstm.Initialize(new SeededRandom(1));
        for (int j = 3; j < 6; j++)
            Assert.Equal(1.0, lstm.BiasIh.Value[0, j] + lstm.BiasHh.Value[0, j]);
        Assert.True(Math.Abs(lstm.BiasIh.Value[0, 0]) <= 1 / Math.Sqrt(3));
    }
}
