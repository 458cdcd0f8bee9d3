namespace Gradscope.Server.Assets;

/// <summary>
/// Serves the front end for every GET outside <c>/api/</c> and <c>/openapi/</c>: an exact embedded
/// file, else <c>index.html</c> for paths without an extension (the single-page app's routes such
/// as <c>/runs/ID</c>), else 404. Sends gzip when the client accepts it and answers 304 to a
/// matching <c>If-None-Match</c>.
/// </summary>
internal sealed class AssetMiddleware(RequestDelegate next, EmbeddedAssets assets)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        string path = request.Path.Value ?? "/";
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || path.StartsWith("/api/", StringComparison.Ordinal) || path == "/api" || path.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var asset = Resolve(path);
        if (asset is null)
        {
            await Api.ProblemMiddleware.Write(context, StatusCodes.Status404NotFound, "Not found", $"no file '{path}' in the dashboard.").ConfigureAwait(false);
            return;
        }

        await Send(context, asset).ConfigureAwait(false);
    }

    private EmbeddedAssets.Asset? Resolve(string path)
    {
        if (path == "/")
            return assets.Find("/index.html");
        if (assets.Find(path) is { } exact)
            return exact;
        // A page route (/runs/01H..., /compare) has no extension in its last segment; anything
        // that looks like a file name and is not embedded is missing, not a page.
        string last = path[(path.LastIndexOf('/') + 1)..];
        bool isPage = !last.Contains('.', StringComparison.Ordinal) && !path.Contains("..", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal);
        return isPage ? assets.Find("/index.html") : null;
    }

    private static async Task Send(HttpContext context, EmbeddedAssets.Asset asset)
    {
        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers.Vary = "Accept-Encoding";
        if (context.Request.Headers.IfNoneMatch.ToString().Contains(asset.ETag, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = asset.ContentType;
        bool gzip = asset.Gzip is not null && context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        byte[] body = gzip ? asset.Gzip! : asset.Bytes;
        if (gzip)
            response.Headers.ContentEncoding = "gzip";
        response.ContentLength = body.Length;
        if (HttpMethods.IsGet(context.Request.Method))
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
