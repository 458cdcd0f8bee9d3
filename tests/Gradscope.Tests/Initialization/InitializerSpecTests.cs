using Gradscope.Initialization;

namespace Gradscope.Tests.Initialization;

public sealed class InitializerSpecTests
{
    public static TheoryData<string, string> Specs() => new()
    {
        { "standard", "standard" },
        { "normal", "normal:0.01" },
        { "uniform:0.2", "uniform:0.2" },
        { "normal:0.05:gain=2:bias=-1", "normal:0.05:gain=2:bias=-1" },
        { "xavier-uniform", "glorot-uniform" },
        { "glorot-normal:gain=1.6667", "glorot-normal:gain=1.6667" },
        { "kaiming-normal", "he-normal" },
        { "he-uniform:bias=0.1", "he-uniform:bias=0.1" },
        { "he-normal:gain=1", "he-normal:gain=1" },
        { "he-normal-fan-out", "he-normal-fan-out" },
        { "he-uniform-fan-out:gain=3", "he-uniform-fan-out:gain=3" },
        { "lecun-normal", "lecun-normal" },
        { "lecun-uniform", "lecun-uniform" },
        { "orthogonal:gain=0.5", "orthogonal:gain=0.5" },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void ToSpec_IsCanonicalAndParsesBackToAnEqualInitializer(string text, string canonical)
    {
        var initializer = Initializer.Parse(text);
        Assert.Equal(canonical, initializer.ToSpec());
        Assert.Equal(initializer, Initializer.Parse(initializer.ToSpec()));
    }

    [Fact]
    public void ToSpec_KeepsEveryBitOfTheNumbers()
    {
        var initializer = new Normal { Std = 0.1 + 0.2, Gain = Math.PI, BiasValue = -1.0 / 3 };
        Assert.Equal(initializer, Initializer.Parse(initializer.ToSpec()));
    }
}
