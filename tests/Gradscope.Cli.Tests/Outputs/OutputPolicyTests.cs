using System.Text;
using Gradscope.TestSupport;

namespace Gradscope.Cli.Tests.Outputs;

/// <summary>
/// The reproductions of issue 14's data-loss cases: every output is checked before training, and
/// nothing but a regular file is ever replaced.
/// </summary>
public sealed class OutputPolicyTests
{
    private static readonly string[] QuickTrain = ["train", "--layers", "2x8", "--epochs", "1"];

    private static (int Exit, string Out, string Err) Train(params string[] args) => CliRunner.Run([.. QuickTrain, .. args]);

    [DeviceNodeFact]
    public void Train_SaveToADeviceNode_IsRefused_AndTheDeviceStays()
    {
        string device = Path.Combine(CliRunner.TempDir(), "null");
        SpecialFiles.MakeCharDevice(device, 1, 3);
        var (exit, output, error) = Train("--save", device);
        Assert.Equal(2, exit);
        Assert.Contains("--save", error);
        Assert.Contains("is a device", error);
        Assert.Equal(string.Empty, output);
        Assert.Equal("character special file", PosixTools.Kind(device));
    }

    [DeviceNodeFact]
    public void Train_TraceToADeviceNode_IsRefused_AndTheDeviceStays()
    {
        string device = Path.Combine(CliRunner.TempDir(), "full");
        SpecialFiles.MakeCharDevice(device, 1, 7);
        var (exit, _, error) = Train("--trace", device);
        Assert.Equal(2, exit);
        Assert.Contains("--trace", error);
        Assert.Equal("character special file", PosixTools.Kind(device));
    }

    [DeviceNodeFact]
    public void Theory_PngToADeviceNode_IsRefused()
    {
        string device = Path.Combine(CliRunner.TempDir(), "null");
        SpecialFiles.MakeCharDevice(device, 1, 3);
        var (exit, _, error) = CliRunner.Run("theory", "--phase-diagram", "--grid", "4x3", "--png", device);
        Assert.Equal(2, exit);
        Assert.Contains("--png", error);
        Assert.Equal("character special file", PosixTools.Kind(device));
    }

    [UnixFact]
    public void Train_SaveToAFifo_IsRefused_AndTheFifoStays()
    {
        string fifo = Path.Combine(CliRunner.TempDir(), "pipe");
        PosixTools.MakeFifo(fifo);
        var (exit, _, error) = Train("--save", fifo);
        Assert.Equal(2, exit);
        Assert.Contains("FIFO", error);
        Assert.Equal("fifo", PosixTools.Kind(fifo));
    }

    [UnixFact]
    public void Train_SaveThroughASymlink_WritesTheFileItNames()
    {
        string dir = CliRunner.TempDir();
        string real = Path.Combine(dir, "real.safetensors");
        string link = Path.Combine(dir, "link.safetensors");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(link, "real.safetensors");
        var (exit, _, error) = Train("--save", link);
        Assert.True(exit == 0, error);
        Assert.Equal("symbolic link", PosixTools.Kind(link));
        Assert.True(new FileInfo(real).Length > 100);
        Assert.Equal(2, Directory.GetFileSystemEntries(dir).Length);
    }

    [Fact]
    public void Train_SaveToAFolder_IsRefused()
    {
        string dir = CliRunner.TempDir();
        var (exit, _, error) = Train("--save", dir);
        Assert.Equal(2, exit);
        Assert.Contains("is a folder", error);
    }

    [Fact]
    public void Train_SaveOverItsOwnData_IsRefused_AndTheDataStays()
    {
        string data = Path.Combine(CliRunner.TempDir(), "copy.csv");
        var csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 40; i++)
            csv.Append(i % 7).Append(',').Append(i % 5).Append(',').Append(i % 2).Append('\n');
        File.WriteAllText(data, csv.ToString());
        var (exit, output, error) = Train("--data", data, "--save", data);
        Assert.Equal(2, exit);
        Assert.Contains("--data", error);
        Assert.Equal(string.Empty, output);
        Assert.Equal(csv.ToString(), File.ReadAllText(data));
    }

    [Fact]
    public void Train_SaveAndTraceToOneFile_IsRefused()
    {
        string path = Path.Combine(CliRunner.TempDir(), "x");
        var (exit, output, error) = Train("--save", path, "--trace", path);
        Assert.Equal(2, exit);
        Assert.Contains("--trace 'x'", error.Replace(path, "x", StringComparison.Ordinal));
        Assert.DoesNotContain("saved model", output);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Theory_PngAndHtmlToOneFile_IsRefused()
    {
        string path = Path.Combine(CliRunner.TempDir(), "same");
        var (exit, _, error) = CliRunner.Run("theory", "--phase-diagram", "--grid", "4x3", "--png", path, "-o", path);
        Assert.Equal(2, exit);
        Assert.Contains("--png", error);
    }

    [Fact]
    public void Train_SaveIntoAMissingFolder_FailsBeforeTraining()
    {
        string path = Path.Combine(CliRunner.TempDir(), "nodir", "m.safetensors");
        var (exit, output, error) = CliRunner.Run("train", "--layers", "2x8", "--epochs", "500", "--save", path);
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", error);
        Assert.Equal(string.Empty, output);
    }

    [UnixFact]
    public void Demo_PngFolderHoldingAFifo_IsRefusedBeforeTraining()
    {
        string dir = CliRunner.TempDir();
        PosixTools.MakeFifo(Path.Combine(dir, "sigmoid-heatmap.png"));
        var (exit, output, error) = CliRunner.Run("demo", "--epochs", "1", "--png", dir);
        Assert.Equal(2, exit);
        Assert.Contains("sigmoid-heatmap.png", error);
        Assert.Equal(string.Empty, output);
    }

    [UnixFact]
    public void Train_RemovesTemporaryFilesThatDeadProcessesLeft()
    {
        string dir = CliRunner.TempDir();
        string stale = Path.Combine(dir, $".m.safetensors.{PosixTools.DeadProcessId()}-1.tmp");
        File.WriteAllBytes(stale, new byte[4096]);
        var (exit, _, error) = Train("--save", Path.Combine(dir, "m.safetensors"));
        Assert.True(exit == 0, error);
        Assert.False(File.Exists(stale));
        Assert.Equal([Path.Combine(dir, "m.safetensors")], Directory.GetFiles(dir));
    }

    [Fact]
    public void Train_TraceToStandardOutput_SendsTheSummaryToStandardError()
    {
        var stdout = new MemoryStream();
        var text = new StringWriter();
        var errors = new StringWriter();
        int exit = CliApp.Run([.. QuickTrain, "--trace", "-"], text, errors, plain: true, () => stdout);
        Assert.True(exit == 0, errors.ToString());
        Assert.StartsWith("{\"type\":\"header\"", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal(string.Empty, text.ToString());
        Assert.Contains("steps in", errors.ToString());
    }

    [Fact]
    public void Train_JsonWithAnOutputOnStandardOutput_IsBadUsage()
    {
        var (exit, _, error) = Train("--json", "--save", "-");
        Assert.Equal(2, exit);
        Assert.Contains("--json", error);
    }
}
