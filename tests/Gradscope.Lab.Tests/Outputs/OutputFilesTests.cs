using System.Runtime.Versioning;
using Gradscope.Lab.Outputs;
using Gradscope.TestSupport;

namespace Gradscope.Lab.Tests.Outputs;

public sealed class OutputFilesTests
{
    [UnixFact]
    public void AddFile_Fifo_IsRefusedAndLeftAlone()
    {
        string dir = PosixTools.TempDir();
        string fifo = Path.Combine(dir, "pipe");
        PosixTools.MakeFifo(fifo);
        var ex = Assert.Throws<OutputPathException>(() => new OutputFiles().AddFile("--save", fifo));
        Assert.Contains("--save", ex.Message);
        Assert.Contains("FIFO", ex.Message);
        Assert.Equal("fifo", PosixTools.Kind(fifo));
    }

    [Fact]
    public void AddFile_Folder_IsRefused()
    {
        string dir = PosixTools.TempDir();
        var ex = Assert.Throws<OutputPathException>(() => new OutputFiles().AddFile("--trace", dir));
        Assert.Contains("is a folder", ex.Message);
    }

    [Fact]
    public void AddFile_MissingFolder_IsRefusedNamingIt()
    {
        string path = Path.Combine(PosixTools.TempDir(), "nodir", "m.safetensors");
        var ex = Assert.Throws<OutputPathException>(() => new OutputFiles().AddFile("--save", path));
        Assert.Contains("does not exist", ex.Message);
        Assert.Contains("nodir", ex.Message);
    }

    [Fact]
    public void AddFile_FolderThatIsAFile_IsRefused()
    {
        string file = Path.Combine(PosixTools.TempDir(), "plain");
        File.WriteAllText(file, "x");
        var ex = Assert.Throws<OutputPathException>(() => new OutputFiles().AddFile("--save", Path.Combine(file, "m.safetensors")));
        Assert.Contains("is not a folder", ex.Message);
    }

    [Fact]
    public void AddFile_AnInputOfTheRun_IsRefused()
    {
        string data = Path.Combine(PosixTools.TempDir(), "data.csv");
        File.WriteAllText(data, "a,label\n1,0\n");
        var files = new OutputFiles();
        files.AddInput("--data", data);
        var ex = Assert.Throws<OutputPathException>(() => files.AddFile("--save", data));
        Assert.Contains("--data", ex.Message);
        Assert.Equal("a,label\n1,0\n", File.ReadAllText(data));
    }

    [UnixFact]
    public void AddFile_HardLinkToAnInput_IsRefused()
    {
        string dir = PosixTools.TempDir();
        string data = Path.Combine(dir, "data.csv");
        string alias = Path.Combine(dir, "alias.csv");
        File.WriteAllText(data, "a,label\n1,0\n");
        Assert.Equal(0, PosixTools.Run("ln", data, alias).Exit);
        var files = new OutputFiles();
        files.AddInput("--data", data);
        Assert.Throws<OutputPathException>(() => files.AddFile("--save", alias));
    }

    [Fact]
    public void AddInput_AfterTheOutput_IsCheckedToo()
    {
        string data = Path.Combine(PosixTools.TempDir(), "data.csv");
        File.WriteAllText(data, "x");
        var files = new OutputFiles();
        files.AddFile("--save", data);
        Assert.Throws<OutputPathException>(() => files.AddInput("--data", data));
    }

    [UnixFact]
    public void AddFile_TwoOutputsToOneFile_AreRefused_EvenThroughALink()
    {
        string dir = PosixTools.TempDir();
        string model = Path.Combine(dir, "x");
        string link = Path.Combine(dir, "link");
        File.CreateSymbolicLink(link, model);
        var files = new OutputFiles();
        files.AddFile("--save", model);
        var ex = Assert.Throws<OutputPathException>(() => files.AddFile("--trace", link));
        Assert.Contains("--save", ex.Message);
        Assert.Throws<OutputPathException>(() => files.AddFile("--trace", Path.Combine(dir, ".", "x")));
    }

    [Fact]
    public void AddFile_TwoToStandardOutput_AreRefused()
    {
        var files = new OutputFiles(() => new MemoryStream());
        files.AddFile("--save", "-");
        var ex = Assert.Throws<OutputPathException>(() => files.AddFile("--trace", "-"));
        Assert.Contains("standard output", ex.Message);
    }

    [UnixFact]
    public void Write_ThroughASymlink_ReplacesTheFileItNames_AndKeepsTheLink()
    {
        string dir = PosixTools.TempDir();
        string real = Path.Combine(dir, "real.bin");
        string link = Path.Combine(dir, "link.bin");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(link, "real.bin");
        var files = new OutputFiles();
        var target = files.AddFile("--save", link);
        files.Write(target, stream => stream.Write("new"u8));
        Assert.Equal("symbolic link", PosixTools.Kind(link));
        Assert.Equal("new", File.ReadAllText(real));
        Assert.Equal(real, target.Path);
    }

    [UnixFact]
    public void AddFile_SymlinkLoop_IsRefused()
    {
        string dir = PosixTools.TempDir();
        File.CreateSymbolicLink(Path.Combine(dir, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(dir, "b"), "a");
        var ex = Assert.Throws<OutputPathException>(() => new OutputFiles().AddFile("--save", Path.Combine(dir, "a")));
        Assert.Contains("symbolic link", ex.Message);
    }

    [Fact]
    public void Write_StandardOutput_GoesToTheGivenStream()
    {
        var stdout = new MemoryStream();
        var files = new OutputFiles(() => stdout);
        files.Write(files.AddFile("--trace", "-"), stream => stream.Write("line\n"u8));
        Assert.Equal("line\n", System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public void Write_Failure_KeepsTheOldFile_AndLeavesNoTemporaryFile()
    {
        string dir = PosixTools.TempDir();
        string path = Path.Combine(dir, "model.safetensors");
        File.WriteAllText(path, "old");
        var files = new OutputFiles();
        var target = files.AddFile("--save", path);
        var ex = Assert.Throws<GradscopeException>(() => files.Write(target, stream =>
        {
            stream.Write("partial"u8);
            throw new IOException("No space left on device");
        }));
        Assert.Contains("--save", ex.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Write_KeepsTheReplacedFilesPermissions()
    {
        string path = Path.Combine(PosixTools.TempDir(), "private.bin");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var files = new OutputFiles();
        files.Write(files.AddFile("--save", path), stream => stream.Write("new"u8));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [UnixFact]
    public void OpenStreamed_WritesInPlace_SameFileNoTemporary()
    {
        string dir = PosixTools.TempDir();
        string path = Path.Combine(dir, "live.jsonl");
        File.WriteAllText(path, "old content that is longer");
        string link = Path.Combine(dir, "alias.jsonl");
        Assert.Equal(0, PosixTools.Run("ln", path, link).Exit);
        var files = new OutputFiles();
        using (var stream = files.OpenStreamed(files.AddStreamed("--trace", path)))
        {
            stream.Write("step 1\n"u8);
            stream.Flush();
            Assert.Equal("step 1\n", File.ReadAllText(path));
        }

        // Written in place: the hard link sees the new content, so no rename happened.
        Assert.Equal("step 1\n", File.ReadAllText(link));
        Assert.Equal(2, Directory.GetFiles(dir).Length);
    }

    [Fact]
    public void AddFolder_CreatesIt_AndPlansFilesInside()
    {
        string folder = Path.Combine(PosixTools.TempDir(), "plots", "run1");
        var files = new OutputFiles();
        var target = files.AddFolder("--png", folder);
        Assert.True(Directory.Exists(folder));
        var file = files.AddFileIn(target, "a.png");
        files.Write(file, stream => stream.Write([1, 2, 3]));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(Path.Combine(folder, "a.png")));
    }

    [UnixFact]
    public void AddFileIn_FifoInsideTheFolder_IsRefused()
    {
        string folder = PosixTools.TempDir();
        PosixTools.MakeFifo(Path.Combine(folder, "a.png"));
        var files = new OutputFiles();
        var target = files.AddFolder("--png", folder);
        Assert.Throws<OutputPathException>(() => files.AddFileIn(target, "a.png"));
    }

    [Fact]
    public void Planning_LeavesNoProbeFileBehind()
    {
        string dir = PosixTools.TempDir();
        new OutputFiles().AddFile("--save", Path.Combine(dir, "m.safetensors"));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }
}
