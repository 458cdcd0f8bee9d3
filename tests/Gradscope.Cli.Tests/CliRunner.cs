namespace Gradscope.Cli.Tests;

/// <summary>Runs the gradscope command in-process with captured output, as a user would see it when piped.</summary>
internal static class CliRunner
{
    // Commands that record runs write to a store in a temporary folder, never a gradscope.db in the repository.
    static CliRunner()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GRADSCOPE_STORE")))
            Environment.SetEnvironmentVariable("GRADSCOPE_STORE", Path.Combine(Directory.CreateTempSubdirectory("gradscope-store-").FullName, "gradscope.db"));
    }

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = CliApp.Run(args, stdout, stderr, plain: true);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public static string TempDir() => Directory.CreateTempSubdirectory("gradscope-cli-").FullName;
}
