using System.Diagnostics;
using Npgsql;

namespace Gradscope.TestSupport;

/// <summary>
/// The PostgreSQL server the Postgres tests use: the one <c>.ci/postgres.sh start</c> started and
/// named in <see cref="ConnectionVariable"/>. Linked into the test projects (tests/Shared), so each
/// test assembly has its own copy.
/// </summary>
internal static class PostgresServer
{
    /// <summary>The server's Npgsql connection string (a superuser, no database), set by <c>eval "$(bash .ci/postgres.sh start)"</c>.</summary>
    public const string ConnectionVariable = "GRADSCOPE_TEST_POSTGRES";

    /// <summary>The cluster's directory, which <see cref="Restart"/> and <see cref="KillRestart"/> hand to the script.</summary>
    public const string DirectoryVariable = "GRADSCOPE_TEST_POSTGRES_DIR";

    /// <summary>When 1 (the postgres stage of .ci/run), a Postgres test without a server fails instead of skipping.</summary>
    public const string RequireVariable = "GRADSCOPE_REQUIRE_POSTGRES";

    /// <summary>The password-authenticated role the script creates (CREATEDB, scram-sha-256).</summary>
    public const string TestRole = "gradscope";

    /// <summary>The password of <see cref="TestRole"/>.</summary>
    public const string TestRolePassword = "gradscope-test-pw";

    /// <summary>Why Postgres tests are skipped here, or null when they run (a server is named, or one is required).</summary>
    public static string? SkipReason =>
        Configured is null && !Required
            ? $"needs PostgreSQL: eval \"$(bash .ci/postgres.sh start)\" sets {ConnectionVariable} (the postgres stage of .ci/run does, with {RequireVariable}=1)"
            : null;

    private static string? Configured => Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } value ? value : null;

    private static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>The superuser connection string of the server; throws (failing the test) when none is named.</summary>
    public static NpgsqlConnectionStringBuilder Admin()
    {
        string connection = Configured ?? throw new InvalidOperationException(
            $"{RequireVariable}=1 but {ConnectionVariable} is unset: start a cluster with eval \"$(bash .ci/postgres.sh start)\"");
        return new NpgsqlConnectionStringBuilder(connection) { Database = "postgres" };
    }

    /// <summary>Restarts the server cleanly (<c>pg_ctl restart -m fast</c>); every open connection breaks.</summary>
    public static void Restart() => RunScript("restart");

    /// <summary>Crashes the server (<c>pg_ctl stop -m immediate</c>) and starts it again, which replays the WAL.</summary>
    public static void KillRestart() => RunScript("kill-restart");

    /// <summary>The newest installed PostgreSQL's binary (psql, pg_isready...), or null.</summary>
    public static string? Binary(string name)
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return null;
        string? newest = null;
        int newestVersion = -1;
        foreach (string versionDir in Directory.GetDirectories(root))
        {
            string candidate = Path.Combine(versionDir, "bin", name);
            if (int.TryParse(Path.GetFileName(versionDir), out int version) && version > newestVersion && File.Exists(candidate))
                (newest, newestVersion) = (candidate, version);
        }

        return newest;
    }

    private static void RunScript(string command)
    {
        string dir = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{DirectoryVariable} is unset: start the cluster with eval \"$(bash .ci/postgres.sh start)\"");
        string script = Path.Combine(RepositoryRoot(), ".ci", "postgres.sh");
        var info = new ProcessStartInfo("bash", [script, command, dir]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {command} took over 2 minutes:\n{stderr}");
        }

        stdout.Wait();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} {command} exited {process.ExitCode}:\n{stderr}");

        // Pooled connections died with the old server; new ones must not be handed out.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The directory holding Gradscope.slnx, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no Gradscope.slnx above {AppContext.BaseDirectory}");
    }
}
