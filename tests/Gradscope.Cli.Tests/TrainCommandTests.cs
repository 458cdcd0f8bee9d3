namespace Gradscope.Cli.Tests;

public sealed class TrainCommandTests
{
    [Fact]
    public void Train_Spiral_PrintsSummaryAndSavesModel()
    {
        string dir = CliRunner.TempDir();
        string model = Path.Combine(dir, "m.safetensors");
        var (exit, output, error) = CliRunner.Run("train", "--data", "spiral", "--layers", "2x16", "--activation", "tanh", "--epochs", "3", "--save", model);
        Assert.True(exit == 0, error);
        Assert.Matches(@"\| train\s+\|\s+720 \|", output);
        Assert.Matches(@"\| test split \|\s+180 \|", output);
        Assert.Contains("network 2-16-16-3 tanh", output);
        Assert.Contains("init glorot-uniform", output);
        Assert.True(File.Exists(model));
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public void Train_Json_PrintsOneObject()
    {
        var (exit, output, _) = CliRunner.Run("train", "--layers", "2x8", "--epochs", "2", "--json", "--dtype", "float64");
        Assert.Equal(0, exit);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("completed", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("epochs").GetArrayLength());
    }

    [Theory]
    [InlineData(new[] { "train", "--epochs", "abc" }, "abc")]
    [InlineData(new[] { "train", "--layers", "10x" }, "Invalid layers '10x'")]
    [InlineData(new[] { "train", "--activation", "sigmoidd" }, "Unknown activation 'sigmoidd'")]
    [InlineData(new[] { "train", "--dtype", "float16" }, "Unknown --dtype 'float16'")]
    [InlineData(new[] { "train", "--bogus" }, "--bogus")]
    [InlineData(new[] { "train", "--epochs", "0" }, "--epochs must be at least 1")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public void BadUsage_ExitsTwoWithOneLineMessage(string[] args, string message)
    {
        var (exit, output, error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", error);
        Assert.Equal(string.Empty, output);
    }

    [Theory]
    [InlineData("missing.csv", "Cannot open missing.csv")]
    [InlineData("nosuchset", "nosuchset")]
    public void BadData_ExitsOne(string data, string message)
    {
        var (exit, _, error) = CliRunner.Run("train", "--data", data, "--epochs", "1");
        Assert.Equal(1, exit);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void MalformedCsv_ExitsOneWithLineNumber()
    {
        string dir = CliRunner.TempDir();
        string csv = Path.Combine(dir, "ragged.csv");
        File.WriteAllText(csv, "a,b,label\n1,2,0\n3,4\n");
        var (exit, _, error) = CliRunner.Run("train", "--data", csv, "--epochs", "1");
        Assert.Equal(1, exit);
        Assert.Contains("line 3", error);
    }

    [Fact]
    public void Diverging_ExitsOneWithAdvice()
    {
        var (exit, _, error) = CliRunner.Run("train", "--layers", "3x16", "--lr", "1000000", "--init", "normal:10", "--epochs", "3");
        Assert.Equal(1, exit);
        Assert.Contains("the loss became", error);
    }

    // Issue 14's reproduction. float32: at step 2 dense layers 2 and 3 output values of 1e23 and
    // 1e34, finite (squared in float lanes, they were once taken for non-finite and layer 2 was
    // blamed); the first infinity is in dense layer 4, where the loss became NaN. float64: every
    // value of step 3 is finite (outputs reach 1e165, whose squares overflow double); the first
    // non-finite value is at step 4, the step whose loss is NaN.
    [Theory]
    [InlineData("float32", 2, 1e19)]
    [InlineData("float64", 4, 1e154)]
    public void Diverging_NamesTheStepAndLayerOfTheFirstNonFiniteValue(string dtype, int step, double squareOverflows)
    {
        string trace = Path.Combine(CliRunner.TempDir(), "div.jsonl");
        var (exit, output, error) = CliRunner.Run("train", "--data", "spiral", "--layers", "4x32", "--lr", "1e3", "--epochs", "5", "--trace", trace, "--dtype", dtype);
        Assert.Equal(1, exit);
        Assert.StartsWith($"error: Training stopped: the loss became NaN at step {step} (epoch 1).", error);
        Assert.Contains($"A NaN or infinity first appeared at step {step} in the activation of layer 4 (6).", output);

        var records = File.ReadLines(trace).Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).ToList();
        var first = records.Single(r => r.GetProperty("type").GetString() == "non_finite");
        Assert.Equal(step, first.GetProperty("step").GetInt32());
        Assert.Equal(4, first.GetProperty("layer").GetInt32()); // the layer identity k, counted from 1
        double largestFinite = 0;
        foreach (var record in records.Where(r => r.GetProperty("type").GetString() == "step"))
        {
            int at = record.GetProperty("step").GetInt32();
            var means = record.GetProperty("act_mean").EnumerateArray().ToArray();
            var nonFinite = record.GetProperty("non_finite").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            if (at < step)
                Assert.All(nonFinite, count => Assert.Equal(0, count));
            int finiteLayers = at < step ? means.Length : 3; // the layers before the first non-finite one
            for (int l = 0; l < finiteLayers; l++)
                largestFinite = Math.Max(largestFinite, Math.Abs(means[l].GetDouble()));
        }

        Assert.True(largestFinite > squareOverflows, $"largest finite mean {largestFinite:E2}");
    }

    [Fact]
    public void Help_ShowsExample()
    {
        var (exit, output, _) = CliRunner.Run("train", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("gradscope train --data spiral --layers 4x32 --activation relu --init he-normal", output);
        Assert.Contains("--layers", output);
    }
}
