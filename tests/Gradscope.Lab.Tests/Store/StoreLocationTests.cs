using Gradscope.Lab.Store;
using Gradscope.Lab.Store.Dialects;
using Gradscope.TestSupport;
using Npgsql;

namespace Gradscope.Lab.Tests.Store;

public sealed class StoreLocationTests
{
    private const string Secret = "s3cr3t-pw";

    [Theory]
    [InlineData("postgres://me@db.lab/runs", "postgres://me@db.lab:5432/runs")]
    [InlineData("postgresql://me@db.lab:6543/runs", "postgres://me@db.lab:6543/runs")]
    [InlineData("postgres://me:" + Secret + "@db.lab/runs", "postgres://me@db.lab:5432/runs")]
    [InlineData("postgres://m%40e@[::1]:5433/my%20runs?sslmode=disable", "postgres://m%40e@[::1]:5433/my%20runs")]
    [InlineData("Host=db.lab;Database=runs;Username=me;Password=" + Secret, "postgres://me@db.lab:5432/runs")]
    public void Parse_PostgresForms_DisplayNamesTheDatabaseWithoutThePassword(string text, string display)
    {
        var location = StoreLocation.Parse(text);

        Assert.True(location.IsPostgres);
        Assert.Equal(display, location.Display);
        Assert.DoesNotContain(Secret, location.Display, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://me:" + Secret + "@db.lab/runs?colour=blue")]
    [InlineData("postgres://me:" + Secret + "@db.lab/a/b")]
    [InlineData("postgres://me:" + Secret + "@/runs")]
    [InlineData("Host=db.lab;Password=" + Secret + ";Nonsense=1")]
    public void Parse_Junk_FailsWithoutShowingThePassword(string text)
    {
        var ex = Assert.Throws<StoreException>(() => StoreLocation.Parse(text));

        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsSameStore_SameFileOrSameDatabase_WhateverTheSpelling()
    {
        string file = StoreTestRuns.TempStore();
        File.WriteAllText(file, string.Empty);

        Assert.True(StoreLocation.Parse(file).IsSameStore(StoreLocation.Parse(Path.GetRelativePath(Environment.CurrentDirectory, file))));
        Assert.True(StoreLocation.Parse("postgres://a@db/runs").IsSameStore(StoreLocation.Parse("Host=db;Port=5432;Database=runs;Username=b")));
        Assert.False(StoreLocation.Parse("postgres://a@db/runs").IsSameStore(StoreLocation.Parse("postgres://a@db/other")));
        Assert.False(StoreLocation.Parse(file).IsSameStore(StoreLocation.Parse(file + "2")));
    }

    [Fact]
    public void Migrations_BothDialectsHaveTheSameNumber_AndEveryPostgresFileHasASharedOne()
    {
        Assert.Equal(RunStore.Migrations(SqliteDialect.Instance).Count, RunStore.Migrations(PostgresDialect.Instance).Count);
        var names = typeof(RunStore).Assembly.GetManifestResourceNames().Where(n => n.Contains(".Store.Migrations.", StringComparison.Ordinal)).ToList();
        foreach (string postgres in names.Where(n => n.EndsWith(".postgres.sql", StringComparison.Ordinal)))
            Assert.Contains(postgres.Replace(".postgres.sql", ".sql", StringComparison.Ordinal), names);
    }

    [PostgresFact]
    [Trait("Category", "Postgres")]
    public void Open_WrongPasswordFromPgpassword_OneLineErrorWithoutThePassword()
    {
        using var database = PostgresDatabase.Create();
        string url = database.Url.Replace("postgres@", PostgresServer.TestRole + "@", StringComparison.Ordinal);
        using var environment = new EnvironmentScope(("PGPASSWORD", Secret));

        var ex = Assert.Throws<StoreException>(() => RunStore.Open(url));

        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("refused the login", ex.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    [Trait("Category", "Postgres")]
    public void Open_PasswordFromPgpassFile_LogsIn()
    {
        using var database = PostgresDatabase.Create();
        using (var admin = database.Open())
        using (var grant = new NpgsqlCommand($"GRANT ALL ON SCHEMA public TO {PostgresServer.TestRole}; GRANT ALL ON DATABASE \"{database.Name}\" TO {PostgresServer.TestRole}", admin))
            grant.ExecuteNonQuery();
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        string pgpass = Path.Combine(Directory.CreateTempSubdirectory("gradscope-pgpass-").FullName, "pgpass");
        File.WriteAllText(pgpass, $"{server.Host}:{server.Port}:{database.Name}:{PostgresServer.TestRole}:{PostgresServer.TestRolePassword}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string url = database.Url.Replace("postgres@", PostgresServer.TestRole + "@", StringComparison.Ordinal);
        using var environment = new EnvironmentScope(("PGPASSFILE", pgpass));

        using var store = RunStore.Open(url);

        Assert.Equal(RunStore.LatestVersion, store.Version);
    }

    [PostgresFact]
    [Trait("Category", "Postgres")]
    public void Open_NoPasswordAnywhere_SaysAPasswordIsMissing_NotThatTheServerIsUnreachable()
    {
        // Before: "cannot reach the PostgreSQL run store ... check that the server runs", though the
        // server answered; a ~/.pgpass line for another database (or none) is the usual cause.
        using var database = PostgresDatabase.Create();
        string url = database.Url.Replace("postgres@", PostgresServer.TestRole + "@", StringComparison.Ordinal);
        string empty = Path.Combine(Directory.CreateTempSubdirectory("gradscope-nopass-").FullName, "pgpass");
        File.WriteAllText(empty, "");
        using var environment = new EnvironmentScope(("PGPASSWORD", null), ("PGPASSFILE", empty));

        var ex = Assert.Throws<StoreException>(() => RunStore.Open(url));

        Assert.StartsWith("PostgreSQL asked for a password for 'postgres://gradscope@", ex.Message, StringComparison.Ordinal);
        Assert.Contains("set PGPASSWORD or add a line host:port:database:user:password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [PostgresFact]
    [Trait("Category", "Postgres")]
    public void Open_PgpassfileNamesAMissingFile_StoreErrorNamingPgpassfile()
    {
        // Before: a FileNotFoundException ("Could not find file ...") escaped RunStore.Open.
        using var database = PostgresDatabase.Create();
        string url = database.Url.Replace("postgres@", PostgresServer.TestRole + "@", StringComparison.Ordinal);
        string missing = Path.Combine(Directory.CreateTempSubdirectory("gradscope-nopass-").FullName, "none");
        using var environment = new EnvironmentScope(("PGPASSWORD", null), ("PGPASSFILE", missing));

        var ex = Assert.Throws<StoreException>(() => RunStore.Open(url));

        Assert.StartsWith("cannot read the PostgreSQL password file for 'postgres://gradscope@", ex.Message, StringComparison.Ordinal);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("PGPASSFILE", ex.Message, StringComparison.Ordinal);
    }
}
