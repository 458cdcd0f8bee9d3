namespace Gradscope.Lab.Store;

/// <summary>
/// The run store cannot be used: it cannot be created or opened, it is not a SQLite database or is
/// corrupt, another process holds its lock for too long, or it was written by a newer Gradscope.
/// The message names the file and says what to do.
/// </summary>
public sealed class StoreException : GradscopeException
{
    /// <summary>Creates the exception with its message and cause.</summary>
    public StoreException(string message, Exception? inner = null)
        : base(message, inner!)
    {
    }
}
