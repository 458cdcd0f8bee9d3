namespace Gradscope.Cli.Tests;

/// <summary>
/// Every invalid option value of every command is bad usage: exit code 2, one line naming the
/// option and what it accepts, before anything is loaded or allocated (issue 14).
/// </summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData(new[] { "train", "--lr", "NaN" }, "error: --lr must be a finite number of at least 0; got NaN.")]
    [InlineData(new[] { "train", "--lr", "-1" }, "error: --lr must be a finite number of at least 0; got -1.")]
    [InlineData(new[] { "train", "--momentum", "-0.5" }, "error: --momentum must be a finite number of at least 0; got -0.5.")]
    [InlineData(new[] { "train", "--weight-decay", "Infinity" }, "error: --weight-decay must be a finite number of at least 0; got Infinity.")]
    [InlineData(new[] { "train", "--max-steps", "0" }, "error: --max-steps must be at least 1; got 0.")]
    [InlineData(new[] { "train", "--batch-size", "0" }, "error: --batch-size must be at least 1; got 0.")]
    [InlineData(new[] { "train", "--init", "normal:-1" }, "error: --init 'normal:-1': The 'normal' initializer's standard deviation must be a finite number of at least 0; got -1.")]
    [InlineData(new[] { "train", "--init", "bogus" }, "error: --init 'bogus': Unknown initializer 'bogus'")]
    [InlineData(new[] { "train", "--optimizer", "bogus" }, "error: --optimizer 'bogus': Unknown optimizer 'bogus'. Valid optimizers: sgd, momentum, nesterov, rmsprop, adam, adamw.")]
    [InlineData(new[] { "train", "--optimizer", "nesterov", "--momentum", "0" }, "error: --optimizer 'nesterov': ")]
    [InlineData(new[] { "train", "--loss", "bogus" }, "error: --loss 'bogus': Unknown loss 'bogus'. Valid losses: ")]
    [InlineData(new[] { "train", "--schedule", "bogus" }, "error: --schedule 'bogus': Unknown learning-rate schedule 'bogus'. Valid schedules: ")]
    [InlineData(new[] { "train", "--schedule", "step:x" }, "error: --schedule 'step:x': ")]
    [InlineData(new[] { "train", "--clip-norm", "0" }, "error: --clip-norm must be a finite number above 0; got 0.")]
    [InlineData(new[] { "train", "--clip-value", "NaN" }, "error: --clip-value must be a finite number above 0; got NaN.")]
    [InlineData(new[] { "train", "--samples", "0" }, "error: --samples must be at least 1; got 0.")]
    [InlineData(new[] { "train", "--classes", "1" }, "error: --classes must be at least 2; got 1.")]
    [InlineData(new[] { "train", "--noise", "NaN" }, "error: --noise must be a finite number of at least 0; got NaN.")]
    [InlineData(new[] { "train", "--samples", "2", "--classes", "3" }, "error: --data spiral --samples 2 --classes 3: needs at least one point per class (3), got a count of 2.")]
    [InlineData(new[] { "train", "--data", "moons", "--classes", "3" }, "error: --data moons --classes 3: moons has exactly 2 classes; 3 were asked for.")]
    [InlineData(new[] { "train", "--samples", "2147483647" }, "error: --data spiral --samples 2147483647: 2147483647 points of 2 dimensions are 4294967294 values, more than the 2147483591 one array can hold")]
    [InlineData(new[] { "train", "--test-split", "NaN" }, "error: --test-split must be in [0, 1); got NaN.")]
    [InlineData(new[] { "train", "--test-split", "1" }, "error: --test-split must be in [0, 1); got 1.")]
    [InlineData(new[] { "train", "--dropout", "NaN" }, "error: --dropout must be in [0, 1); got NaN.")]
    [InlineData(new[] { "train", "--layers", "" }, "error: Invalid layers '': give the hidden layers, e.g. '10x32' or '64,32,16', or 'none' for a network without hidden layers.")]
    [InlineData(new[] { "train", "--layers", "2x200000", "--data", "fashion-mnist" }, "error: --layers '2x200000': a layer of 200000 units after one of 200000 needs 40000000000 weights, more than the 2147483591 one array can hold.")]
    [InlineData(new[] { "train", "--save", "" }, "error: --save needs a file name; got an empty string.")]
    [InlineData(new[] { "train", "--trace", " " }, "error: --trace needs a file name; got an empty string.")]
    [InlineData(new[] { "train", "--model-spec", "" }, "error: --model-spec needs a file name; got an empty string.")]
    [InlineData(new[] { "train", "--data-dir", "" }, "error: --data-dir needs a file name; got an empty string.")]
    [InlineData(new[] { "train", "--label", "" }, "error: --label needs a value; got an empty string.")]
    [InlineData(new[] { "train", "--data", "" }, "error: --data needs a value; got an empty string.")]
    [InlineData(new[] { "diagnose", "--model", "none.safetensors", "--data", "spiral", "--optimizer", "bogus" }, "error: --optimizer 'bogus': Unknown optimizer 'bogus'.")]
    [InlineData(new[] { "diagnose", "--model", "none.safetensors", "--data", "spiral", "--lr", "NaN" }, "error: --lr must be a finite number of at least 0; got NaN.")]
    [InlineData(new[] { "diagnose", "--model", "", "--data", "spiral" }, "error: --model needs a file name; got an empty string.")]
    [InlineData(new[] { "inspect", "--model", "", "--data", "spiral" }, "error: --model needs a file name; got an empty string.")]
    [InlineData(new[] { "inspect", "--model", "none.safetensors", "--data", "" }, "error: --data needs a value; got an empty string.")]
    [InlineData(new[] { "theory", "--measure", "--width", "100000", "--weight-var", "1.5" }, "error: --width 100000: a 100000x100000 weight matrix has 10000000000 values, more than the 2147483591 one array can hold.")]
    [InlineData(new[] { "theory", "--phase-diagram", "--png", "" }, "error: --png needs a file name; got an empty string.")]
    [InlineData(new[] { "theory", "--phase-diagram", "-o", "" }, "error: --output needs a file name; got an empty string.")]
    [InlineData(new[] { "bench", "--warmup", "-1" }, "error: --warmup must be at least 0; got -1.")]
    [InlineData(new[] { "bench", "--layers", "" }, "error: Invalid layers ''")]
    [InlineData(new[] { "bench", "--input", "100000", "--layers", "100000" }, "error: --input 100000 --layers 100000 --classes 10: a layer of 100000 units after one of 100000 needs 10000000000 weights, more than the 2147483591 one array can hold.")]
    [InlineData(new[] { "bench", "--batch-size", "1000000000" }, "error: --batch-size 1000000000 with --input 784: the random batch would have 784000000000 values, more than the 2147483591 one array can hold.")]
    [InlineData(new[] { "demo", "--layers", "" }, "error: Invalid layers ''")]
    [InlineData(new[] { "demo", "--layers", "2x100000" }, "error: --layers '2x100000': a layer of 100000 units after one of 100000 needs 10000000000 weights")]
    [InlineData(new[] { "demo", "--png", "" }, "error: --png needs a file name; got an empty string.")]
    public void InvalidValue_ExitsTwoWithOneLineNamingTheOption(string[] args, string message)
    {
        var (exit, output, error) = CliRunner.Run(args);

        Assert.True(exit == 2, $"exit {exit}: {error}");
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Train_BatchLargerThanTheData_TrainsOnAllRows()
    {
        var (exit, _, error) = CliRunner.Run("train", "--batch-size", "1000000000", "--layers", "8", "--epochs", "2", "--json");

        Assert.True(exit == 0, error);
    }
}
