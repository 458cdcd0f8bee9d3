using System.Text.Encodings.Web;
using System.Text.Json;
using Gradscope.Lab.Store;

namespace Gradscope.Server.Api;

/// <summary>
/// Turns every failure of a request into problem details (<c>application/problem+json</c> with
/// title, status and detail) so clients never get an HTML error page or a stack trace.
/// </summary>
internal sealed class ProblemMiddleware(RequestDelegate next)
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ApiProblem problem)
        {
            await Write(context, problem.Status, problem.Title, problem.Message).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            await Write(context, StatusCodes.Status503ServiceUnavailable, "Run store unavailable", ex.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            await Write(context, ex.StatusCode, "Bad request", ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
    }

    /// <summary>Writes a problem response unless the response has already started (then it can only be cut).</summary>
    public static async Task Write(HttpContext context, int status, string title, string detail)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var body = new Dictionary<string, object> { ["type"] = "about:blank", ["title"] = title, ["status"] = status, ["detail"] = detail };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, Options)).ConfigureAwait(false);
    }
}
