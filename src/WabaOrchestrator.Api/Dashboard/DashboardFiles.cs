using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace WabaOrchestrator.Api.Dashboard;

/// <summary>
/// The operator dashboard (plain HTML, CSS and JavaScript modules, no build step) embedded in this assembly, so the
/// local host (at <c>/</c>) and the Functions host (at <c>/api/dashboard/</c>) serve the same bytes.
/// </summary>
public static class DashboardFiles
{
    public const string IndexFile = "index.html";

    /// <summary>The files by name: flat, no folders, so a name with a separator or <c>..</c> is never one of them.</summary>
    public static IFileProvider Provider { get; } = new EmbeddedFileProvider(typeof(DashboardFiles).Assembly, typeof(DashboardFiles).Namespace);

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private static readonly Lazy<IReadOnlyDictionary<string, DashboardFile>> Files = new(Load);

    /// <summary>The dashboard's file called <paramref name="name"/> (the index when empty), or null when there is none.</summary>
    public static DashboardFile? Find(string? name) =>
        Files.Value.TryGetValue(string.IsNullOrEmpty(name) ? IndexFile : name, out var file) ? file : null;

    /// <summary>
    /// Answers with the file (or 404), revalidated on every load: an ETag of its content answers 304 when unchanged,
    /// and "no-cache" keeps a browser from serving an old build's file.
    /// </summary>
    public static IResult Serve(HttpContext context, string? name)
    {
        if (Find(name) is not { } file)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(file.Content, file.ContentType, entityTag: file.ETag);
    }

    private static Dictionary<string, DashboardFile> Load() =>
        Provider.GetDirectoryContents(string.Empty)
            .Where(f => !f.IsDirectory)
            .ToDictionary(f => f.Name, Read, StringComparer.Ordinal);

    private static DashboardFile Read(IFileInfo info)
    {
        using var stream = info.CreateReadStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var contentType = ContentTypes.TryGetContentType(info.Name, out var type) ? type : "application/octet-stream";
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        return new DashboardFile(info.Name, content, contentType, etag);
    }
}

/// <summary>One dashboard file: its bytes, content type and the ETag of its content.</summary>
public sealed record DashboardFile(string Name, byte[] Content, string ContentType, EntityTagHeaderValue ETag);
