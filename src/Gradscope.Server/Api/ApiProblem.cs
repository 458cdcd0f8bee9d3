namespace Gradscope.Server.Api;

/// <summary>An API error with its HTTP status, written as RFC 7807 problem details by <see cref="ProblemMiddleware"/>.</summary>
internal sealed class ApiProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public static ApiProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ApiProblem NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    public static ApiProblem Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);
}
