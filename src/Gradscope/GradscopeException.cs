namespace Gradscope;

/// <summary>
/// A problem with what the user gave Gradscope (a malformed file, a shape mismatch, NaN in data, an
/// unknown name). The message is written for the user and is shown as it is, without a stack trace.
/// </summary>
public class GradscopeException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public GradscopeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and the low-level cause.</summary>
    public GradscopeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public GradscopeException()
    {
    }
}
