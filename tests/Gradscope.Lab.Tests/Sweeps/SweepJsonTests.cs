using System.Text.Json;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Sweeps;
using Gradscope.Lab.Tests.Runs;

namespace Gradscope.Lab.Tests.Sweeps;

public sealed class SweepJsonTests
{
    private const string Schema = "sweep.v1.schema.json";

    [Fact]
    public void ExampleFile_ValidatesAgainstTheSchema_AndReads()
    {
        string json = File.ReadAllText(SweepTestSupport.ExampleFile());
        Assert.Empty(SchemaValidation.Errors(Schema, json));
        var definition = SweepJson.Read(json, "sweep.json", ["data", "max-steps", "batch-size", "layers", "activation", "init", "lr"]);
        Assert.Equal("depth-by-activation", definition.Name);
        Assert.Equal(["2x32", "10x32"], definition.Grid[0].Values);
        Assert.Equal("300", definition.Base.Single(s => s.Option == "max-steps").Value);
        Assert.Single(definition.Trials);
        Assert.Equal(4, definition.Random!.Count);
        Assert.Equal(RandomDistribution.LogUniform, definition.Random.Parameters[0].Distribution);
        Assert.Equal([1, 2], definition.Seeds);
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameDefinition_AndValidates()
    {
        var definition = SweepJson.Read(File.ReadAllText(SweepTestSupport.ExampleFile()), "sweep.json");
        string written = SweepJson.Write(definition);
        Assert.Empty(SchemaValidation.Errors(Schema, written));
        Assert.Equal(written, SweepJson.Write(SweepJson.Read(written, "again")));
    }

    [Fact]
    public void Plan_ValidatesAgainstTheSchema_AndEachSpecAgainstTheRunSpecSchema()
    {
        var definition = new SweepDefinition { Name = "p", Grid = [new SweepAxis("activation", ["tanh", "relu"])], Seeds = [1, 2] };
        var trials = SweepExpansion.Expand(definition, SweepTestSupport.Describe);
        string plan = SweepJson.WritePlan(definition, trials);
        Assert.Empty(SchemaValidation.Errors(Schema, plan));
        using var doc = JsonDocument.Parse(plan);
        Assert.Equal(4, doc.RootElement.GetProperty("count").GetInt32());
        foreach (var trial in doc.RootElement.GetProperty("trials").EnumerateArray())
            Assert.Empty(SchemaValidation.Errors("run-spec.v1.schema.json", trial.GetProperty("spec").GetRawText()));
    }

    [Theory]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "grid": {"colour": ["red"]}}""", "s.json: grid.colour: not a training option")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "grid": {"seed": [1, 2]}}""", "s.json: grid.seed: seeds are set by the top-level \"seeds\"")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "random": {"count": 3, "parameters": {"lr": {"log-uniform": [0, 1]}}}}""", "s.json: random.parameters.lr.log-uniform: must be [low, high]")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "random": {"parameters": {"lr": {"uniform": [0, 1]}}}}""", "s.json: random.count: is required")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "grid": {"lr": [{"a": 1}]}}""", "s.json: grid.lr: must be a string, a number or true/false")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "seeds": 0}""", "s.json: seeds: must be a count")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "colour": 1}""", "s.json: colour: unknown key")]
    [InlineData("""{"format": "gradscope.run"}""", "s.json: format: must be \"gradscope.sweep\"")]
    [InlineData("""{"format": "gradscope.sweep", "version": 2, "name": "x"}""", "s.json: version: is 2, written by a newer Gradscope")]
    [InlineData("""{"format": "gradscope.sweep"}""", "s.json: name: is required")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", """, "s.json: not valid JSON")]
    public void Read_Malformed_NamesTheFileAndTheKey(string json, string expected)
    {
        var e = Assert.Throws<GradscopeException>(() => SweepJson.Read(json, "s.json", SweepTestSupport.Options));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_RejectsWhatTheReaderRejects()
    {
        Assert.NotEmpty(SchemaValidation.Errors(Schema, """{"format": "gradscope.sweep", "grid": {"seed": [1]}}"""));
        Assert.NotEmpty(SchemaValidation.Errors(Schema, """{"format": "gradscope.sweep", "colour": 1}"""));
        Assert.NotEmpty(SchemaValidation.Errors(Schema, """{"format": "gradscope.sweep", "random": {"count": 2, "parameters": {"lr": {"log-uniform": [0, 1]}}}}"""));
        Assert.NotEmpty(SchemaValidation.Errors(Schema, """{"format": "gradscope.sweep", "seeds": 0}"""));
    }

    [Fact]
    public void TrialKey_IsTheHashOfTheRunSpecJson()
    {
        var spec = SweepTestSupport.Describe([new SweepSetting("activation", "tanh")]);
        string key = SweepTrial.KeyOf(spec);
        Assert.Matches("^[0-9a-f]{16}$", key);
        Assert.Equal(key, SweepTrial.KeyOf(RunSpecJson.Read(RunSpecJson.Write(spec))));
        Assert.NotEqual(key, SweepTrial.KeyOf(spec with { Seed = 2 }));
    }
}
