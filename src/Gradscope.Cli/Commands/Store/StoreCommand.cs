using System.CommandLine;

namespace Gradscope.Cli.Commands.Store;

/// <summary><c>gradscope store</c>: work on run stores as a whole (copying between SQLite and PostgreSQL).</summary>
internal static class StoreCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("store",
            "Work on run stores as a whole: copy runs and sweeps between a SQLite file and a PostgreSQL database.\n\n" +
            "Examples:\n  gradscope store copy gradscope.db postgres://me@db.lab/gradscope\n  gradscope store copy postgres://me@db.lab/gradscope laptop.db --sweep depth");
        command.Subcommands.Add(StoreCopyCommand.Create(context));
        return command;
    }
}
