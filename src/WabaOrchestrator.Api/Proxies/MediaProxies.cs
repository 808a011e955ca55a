using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>
/// Media upload, streamed end to end: the multipart body is read part by part (no form buffering, no temp file) and
/// the <c>mediafile</c> part's stream goes straight into the Vonage request, so memory stays flat whatever the size.
/// </summary>
public static class MediaProxies
{
    public const string PartName = "mediafile";

    /// <summary>Room for the multipart boundaries and part headers around the file itself.</summary>
    private const long MultipartOverhead = 64 * 1024;

    public static async Task<IResult> Upload(HttpContext context, IMediaClient media, IOptions<ProxyOptions> options)
    {
        var request = context.Request;
        var limit = options.Value.MaxUploadBytes;
        if (request.ContentLength > limit + MultipartOverhead)
        {
            return TooLarge(limit);
        }

        var problems = new List<ValidationProblem>();
        var fileType = FileType(TemplateListQuery.Value(request.Query, VonageFields.FileType), problems);
        var boundary = Boundary(request);
        if (boundary is null)
        {
            problems.Add(new ValidationProblem(PartName, "Send the file as multipart/form-data in a part named mediafile."));
        }

        if (problems.Count > 0)
        {
            return ApiProblems.Validation(problems);
        }

        // Kestrel's default body limit (30 MB) would cut a legitimate upload; ours is the one that applies here.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit + MultipartOverhead;
        }

        var cancellationToken = context.RequestAborted;
        try
        {
            var (part, fileName) = await FindFileAsync(new MultipartReader(boundary!, request.Body), cancellationToken);
            if (part is null)
            {
                return ApiProblems.Validation(PartName, "Is required: no multipart part named mediafile with a file name was sent.");
            }

            var body = new UploadLimitStream(part.Body, limit);
            return await ProxyCall.SendAsync([], ct => media.UploadAsync(body, fileType!.Value, fileName!, ct), ProxyCall.Ok, cancellationToken);
        }
        catch (Exception e) when (ProxyCall.ToResult(e, cancellationToken) is { } result)
        {
            return result;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return ((ProxyBodyException)Malformed(e)).Problem;
        }
    }

    internal static IResult TooLarge(long limit) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "The upload is too large.",
            $"The file can be at most {limit} bytes (Proxies:MaxUploadBytes).",
            new Dictionary<string, object?> { ["invalid_parameters"] = new[] { new { name = PartName, reason = $"Must be at most {limit} bytes." } } });

    internal static Exception Malformed(Exception inner) =>
        new ProxyBodyException(ApiProblems.Validation(PartName, "The multipart/form-data body is malformed or was cut off."), "Malformed multipart body: " + inner.Message);

    private static MediaFileType? FileType(string? raw, List<ValidationProblem> problems)
    {
        if (raw is null)
        {
            problems.Add(new ValidationProblem(VonageFields.FileType, $"Is required: one of {string.Join(", ", MediaFileType.Known)}."));
            return null;
        }

        var fileType = MediaFileType.From(raw.Trim().ToLowerInvariant());
        var invalid = VonageRules.MediaFileType(fileType);
        problems.AddRange(invalid);
        return invalid.Count == 0 ? fileType : null;
    }

    private static string? Boundary(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200 ? null : boundary;
    }

    /// <summary>Skips (drains) any other parts; the first <c>mediafile</c> part with a file name is the upload.</summary>
    private static async Task<(MultipartSection? Part, string? FileName)> FindFileAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                && disposition.IsFileDisposition()
                && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(PartName, StringComparison.Ordinal))
            {
                var raw = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                // Only a bare name goes on to Vonage: a client-side path is nobody's business.
                var name = Path.GetFileName(raw?.Replace('\\', '/'));
                return (section, string.IsNullOrWhiteSpace(name) ? "upload" : name);
            }
        }

        return (null, null);
    }
}
