using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace Gradscope.Server.Assets;

/// <summary>
/// The front end (<c>wwwroot/**</c>, embedded in this assembly), read once into memory with a
/// content type, an ETag and, for text, a gzip copy. Only these exact paths can ever be served:
/// a request path is looked up, never joined to a folder, so no path (<c>..</c>, encoded slashes)
/// reaches outside them.
/// </summary>
internal sealed class EmbeddedAssets
{
    private const string Prefix = "wwwroot/";
    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public EmbeddedAssets(Assembly assembly)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
                continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            string path = "/" + name[Prefix.Length..].Replace('\\', '/');
            if (!types.TryGetContentType(path, out string? type))
                type = "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type.Contains("javascript", StringComparison.Ordinal) || type.Contains("json", StringComparison.Ordinal))
                type += "; charset=utf-8";
            _assets[path] = Asset.Of(copy.ToArray(), type);
        }
    }

    public int Count => _assets.Count;

    /// <summary>The asset at exactly <paramref name="path"/> (<c>/app.js</c>), or null.</summary>
    public Asset? Find(string path) => _assets.GetValueOrDefault(path);

    /// <summary>One embedded file, ready to send.</summary>
    internal sealed record Asset(byte[] Bytes, byte[]? Gzip, string ContentType, string ETag)
    {
        public static Asset Of(byte[] bytes, string type)
        {
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
            return new Asset(bytes, Compressible(type) ? Compress(bytes) : null, type, etag);
        }

        private static bool Compressible(string type) =>
            type.StartsWith("text/", StringComparison.Ordinal) || type.Contains("javascript", StringComparison.Ordinal)
            || type.Contains("json", StringComparison.Ordinal) || type.Contains("svg", StringComparison.Ordinal);

        private static byte[] Compress(byte[] bytes)
        {
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
                gzip.Write(bytes);
            return output.ToArray();
        }
    }
}
