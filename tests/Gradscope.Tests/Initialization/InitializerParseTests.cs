using Gradscope.Initialization;

namespace Gradscope.Tests.Initialization;

public class InitializerParseTests
{
    [Theory]
    [InlineData("standard", typeof(Standard), "standard")]
    [InlineData("normal", typeof(Normal), "normal")]
    [InlineData("uniform", typeof(Uniform), "uniform")]
    [InlineData("glorot-normal", typeof(GlorotNormal), "glorot-normal")]
    [InlineData("Xavier-Normal", typeof(GlorotNormal), "glorot-normal")]
    [InlineData("glorot-uniform", typeof(GlorotUniform), "glorot-uniform")]
    [InlineData("xavier-uniform", typeof(GlorotUniform), "glorot-uniform")]
    [InlineData("he-normal", typeof(HeNormal), "he-normal")]
    [InlineData("kaiming-normal", typeof(HeNormal), "he-normal")]
    [InlineData("he-uniform", typeof(HeUniform), "he-uniform")]
    [InlineData("kaiming-uniform", typeof(HeUniform), "he-uniform")]
    [InlineData("he-normal-fan-out", typeof(HeNormal), "he-normal-fan-out")]
    [InlineData("kaiming-uniform-fan-out", typeof(HeUniform), "he-uniform-fan-out")]
    [InlineData("lecun-normal", typeof(LeCunNormal), "lecun-normal")]
    [InlineData(" lecun-uniform ", typeof(LeCunUniform), "lecun-uniform")]
    [InlineData("orthogonal", typeof(Orthogonal), "orthogonal")]
    public void Parse_AcceptsNamesAndAliases(string spec, Type type, string name)
    {
        Initializer initializer = Initializer.Parse(spec);
        Assert.IsType(type, initializer);
        Assert.Equal(name, initializer.Name);
    }

    [Fact]
    public void Parse_DefaultGainIsSqrtTwoForHeAndOneOtherwise()
    {
        Assert.Equal(Math.Sqrt(2), Initializer.Parse("he-uniform").Gain);
        Assert.Equal(1.0, Initializer.Parse("glorot-normal").Gain);
        Assert.Equal(0.01, Assert.IsType<Normal>(Initializer.Parse("normal")).Std);
    }

    [Fact]
    public void Parse_ReadsStdGainAndBias()
    {
        Assert.Equal(new Uniform { Std = 0.1, Gain = 3 }, Initializer.Parse("uniform:0.1:gain=3"));
        var he = Assert.IsType<HeNormal>(Initializer.Parse("he-normal-fan-out:gain=2:bias=-1"));
        Assert.Equal((2.0, -1.0, FanMode.FanOut), (he.Gain, he.BiasValue, he.Mode));
    }

    [Fact]
    public void Parse_UnknownNameListsValidNames()
    {
        var error = Assert.Throws<GradscopeException>(() => Initializer.Parse("zeros:gain=2"));
        Assert.Equal(
            "Unknown initializer 'zeros' in 'zeros:gain=2'. Valid initializers: standard, normal, uniform, glorot-normal (xavier-normal), " +
            "glorot-uniform (xavier-uniform), he-normal (kaiming-normal), he-uniform (kaiming-uniform), he-normal-fan-out, " +
            "he-uniform-fan-out, lecun-normal, lecun-uniform, orthogonal.",
            error.Message);
    }

    [Theory]
    [InlineData("he-normal:0.05", "In initializer 'he-normal:0.05', '0.05' is not a valid parameter: expected gain=G or bias=B ('he-normal' takes no standard deviation).")]
    [InlineData("normal:gain=2:0.05", "In initializer 'normal:gain=2:0.05', '0.05' is not a valid parameter: expected the standard deviation first, then gain=G or bias=B.")]
    [InlineData("normal:abc", "In initializer 'normal:abc', the standard deviation 'abc' is not a number.")]
    [InlineData("orthogonal:gain=big", "In initializer 'orthogonal:gain=big', the gain 'big' is not a number.")]
    [InlineData("normal:-1", "The 'normal' initializer's standard deviation must be a finite number of at least 0; got -1.")]
    [InlineData("he-normal:gain=-2", "An initializer's gain must be a finite number of at least 0; got -2.")]
    [InlineData("", "The initializer spec is empty. Valid initializers: standard,")]
    public void Parse_MalformedSpecExplainsWhy(string spec, string messageStart)
    {
        var error = Assert.Throws<GradscopeException>(() => Initializer.Parse(spec));
        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
    }
}
