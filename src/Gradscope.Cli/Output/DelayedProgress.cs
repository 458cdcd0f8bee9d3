using Spectre.Console;

namespace Gradscope.Cli.Output;

/// <summary>
/// Runs a computation and, on a terminal, shows a progress bar only once it has taken longer than
/// a second: quick answers stay clean, slow ones show they are alive.
/// </summary>
internal static class DelayedProgress
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs <paramref name="work"/>, which calls the action it is given once per finished unit
    /// (of <paramref name="total"/>), possibly from several threads. <paramref name="quiet"/> (JSON
    /// output) and plain output never show the bar.
    /// </summary>
    public static T Run<T>(Terminal terminal, bool quiet, string description, int total, Func<Action, T> work)
    {
        if (quiet || terminal.Plain)
            return work(() => { });
        int done = 0;
        var task = Task.Run(() => work(() => Interlocked.Increment(ref done)));
        if (Finished(task, Delay))
            return task.GetAwaiter().GetResult();

        terminal.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask(description, maxValue: Math.Max(1, total));
                while (!Finished(task, TimeSpan.FromMilliseconds(100)))
                    bar.Value = Volatile.Read(ref done);
                bar.Value = bar.MaxValue;
            });
        return task.GetAwaiter().GetResult();
    }

    // Waits without throwing: a failed task rethrows its own exception (not an AggregateException) from GetResult.
    private static bool Finished(Task task, TimeSpan timeout) => ((IAsyncResult)task).AsyncWaitHandle.WaitOne(timeout);
}
