namespace Gradscope.TestSupport;

/// <summary>
/// A test that needs the PostgreSQL server of <c>GRADSCOPE_TEST_POSTGRES</c>: skipped with the
/// command that starts one when it is unset, except under <c>GRADSCOPE_REQUIRE_POSTGRES=1</c> (the
/// postgres stage of .ci/run), where the test runs and fails, so a missing server never passes
/// silently. <c>CI=true</c> alone does not require it: the default test run has no server. Give
/// such tests <c>[Trait("Category", "Postgres")]</c> too.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresServer.SkipReason;
}

/// <summary>The theory form of <see cref="PostgresFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = PostgresServer.SkipReason;
}

/// <summary>
/// Tests that restart or crash the shared server (<see cref="PostgresServer.Restart"/>): they run
/// alone, after the parallel ones, so no other test's connection breaks under it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresRestartCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Postgres restarts";
}
