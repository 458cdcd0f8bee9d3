using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gradscope.Server.Api;

/// <summary>
/// A JSON response written by hand with a <see cref="Utf8JsonWriter"/>, so the API's objects are
/// the very ones the CLI's <c>--json</c> writers produce (snake_case, non-finite numbers as null).
/// </summary>
internal sealed class JsonResult(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) : IResult
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string? Location { get; init; }

    public static byte[] Bytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Options))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        byte[] body = Bytes(write);
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        if (Location is not null)
            httpContext.Response.Headers.Location = Location;
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
