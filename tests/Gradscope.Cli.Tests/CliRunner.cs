namespace Gradscope.Cli.Tests;

/// <summary>Runs the gradscope command in-process with captured output, as a user would see it when piped.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = CliApp.Run(args, stdout, stderr, plain: true);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public static string TempDir() => Directory.CreateTempSubdirectory("gradscope-cli-").FullName;
}
