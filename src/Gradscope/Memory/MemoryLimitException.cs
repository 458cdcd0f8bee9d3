namespace Gradscope.Memory;

/// <summary>
/// Work refused before it started because it needs more memory than the process may use (see
/// <see cref="MemoryBudget"/>). The message says how much it needs, of what, and how much there is.
/// </summary>
public sealed class MemoryLimitException : GradscopeException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public MemoryLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and the low-level cause.</summary>
    public MemoryLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public MemoryLimitException()
    {
    }
}
