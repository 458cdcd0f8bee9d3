namespace Gradscope.Cli.Tests.Commands;

/// <summary>Model spec and run description files that the fuzzer found refused without their name, or on more than one line.</summary>
public sealed class SpecFileErrorsTests
{
    private readonly string _dir = CliRunner.TempDir();

    private string Data()
    {
        string path = Path.Combine(_dir, "d.csv");
        File.WriteAllText(path, "a,b,c,label\n1,2,3,0\n2,3,1,1\n3,1,2,0\n1,3,2,1\n2,1,3,0\n3,2,1,1\n");
        return path;
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertOneLineError(string error, string start)
    {
        Assert.StartsWith("error: " + start, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Train_ModelSpecInputNotMatchingTheData_NamesTheSpecFile()
    {
        string spec = Write("spec.json", """{"input":5,"layers":[{"type":"dense","units":4}]}""");
        var (exit, _, error) = CliRunner.Run("train", "--model-spec", spec, "--data", Data(), "--epochs", "1");
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{spec}: \"input\" is 5 but the data has 3 features.");
    }

    [Fact]
    public void Train_RunDescriptionInputNotMatchingTheData_NamesTheRunFile()
    {
        string spec = Write("spec.json", """{"input":5,"layers":[{"type":"dense","units":4}]}""");
        var (printed, description, printError) = CliRunner.Run("train", "--model-spec", spec, "--data", Data(), "--epochs", "1", "--print-spec");
        Assert.True(printed == 0, printError);
        string run = Write("run.json", description);

        var (exit, _, error) = CliRunner.Run("train", "--run-spec", run);
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{run}: network: \"input\" is 5 but the data has 3 features.");
    }

    [Fact]
    public void Train_RunDescriptionWithALineBreakInABadLiteral_IsRefusedOnOneLine()
    {
        // The JSON reader quotes the bad literal, line break and all.
        string run = Write("run.json", "{\"format\": \"gradscope.run\", \"data\": n5ll,\n\"version\": 1}");
        var (exit, _, error) = CliRunner.Run("train", "--run-spec", run);
        Assert.Equal(1, exit);
        AssertOneLineError(error, $"{run}: not valid JSON: 'n5ll,\\n");
    }
}
