using System.Net.Http.Headers;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Resilience;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Vonage.Media;

/// <summary>The answer of a media upload: <c>h</c>, the handle a media template's <c>example.header_handle</c> takes.</summary>
public sealed record MediaUploadResult(
    [property: System.Text.Json.Serialization.JsonPropertyName("h")] string Handle);

/// <summary>Media uploads (Template Management v2).</summary>
public interface IMediaClient
{
    /// <summary>
    /// Streams <paramref name="content"/> as the multipart <c>mediafile</c>; the stream is read once,
    /// never buffered whole, and disposed with the request. Only a seekable stream is retried (on 429 or a
    /// refused connection): a forward-only one cannot be replayed.
    /// </summary>
    Task<MediaUploadResult> UploadAsync(Stream content, MediaFileType fileType, string fileName, CancellationToken cancellationToken = default);
}

public sealed class MediaClient(HttpClient http, TimeProvider time) : VonageHttp(http, time), IMediaClient
{
    public Task<MediaUploadResult> UploadAsync(Stream content, MediaFileType fileType, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        VonageRules.Ensure([.. VonageRules.MediaFileType(fileType), .. VonageRules.Required(VonageFields.FileName, fileName)]);

        var file = new StreamContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileType.Value);
        var form = new MultipartFormDataContent { { file, "mediafile", fileName } };
        var seekable = content.CanSeek;
        return SendAsync<MediaUploadResult>(
            HttpMethod.Post,
            VonagePaths.WithQuery(VonagePaths.MediaUploads, ("file_type", fileType.Value)),
            form,
            cancellationToken,
            request => request.Options.Set(VonageRequestOptions.NoRetry, !seekable));
    }
}
