using System.Diagnostics;
using Gradscope.Lab.Outputs;
using Gradscope.TestSupport;

namespace Gradscope.Lab.Tests.Outputs;

public sealed class TempFilesTests
{
    [UnixFact]
    public void RemoveStale_RemovesOnlyFilesOfDeadProcesses()
    {
        string dir = PosixTools.TempDir();
        int dead = PosixTools.DeadProcessId();
        using var alive = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        try
        {
            string deadFile = Touch(dir, $".m.safetensors.{dead}-1.tmp");
            string aliveFile = Touch(dir, $".m.safetensors.{alive.Id}-1.tmp");
            string ownFile = Touch(dir, $".t.jsonl.{Environment.ProcessId}-7.tmp");
            string unrelated = Touch(dir, ".notes.tmp");

            var removed = TempFiles.RemoveStale(dir);

            Assert.Equal([deadFile], removed);
            Assert.False(File.Exists(deadFile));
            Assert.True(File.Exists(aliveFile));
            Assert.True(File.Exists(ownFile));
            Assert.True(File.Exists(unrelated));
        }
        finally
        {
            alive.Kill();
            alive.WaitForExit();
        }
    }

    [UnixFact]
    public void RemoveStale_KeepsAFileAnotherWriterHoldsLocked()
    {
        string dir = PosixTools.TempDir();
        string path = Touch(dir, $".m.safetensors.{PosixTools.DeadProcessId()}-1.tmp");

        // A writer in another PID namespace may carry an id this process sees as dead; its lock keeps its file.
        using (new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
            Assert.Empty(TempFiles.RemoveStale(dir));
        Assert.Single(TempFiles.RemoveStale(dir));
    }

    [UnixFact]
    public void Write_RemovesStaleTemporaryFilesInItsFolder()
    {
        string dir = PosixTools.TempDir();
        string stale = Touch(dir, $".m.safetensors.{PosixTools.DeadProcessId()}-3.tmp");
        var files = new OutputFiles();
        files.Write(files.AddFile("--save", Path.Combine(dir, "other.bin")), stream => stream.Write("x"u8));
        Assert.False(File.Exists(stale));
    }

    private static string Touch(string dir, string name)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, "partial");
        return path;
    }
}
