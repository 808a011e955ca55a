using System.Buffers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace WabaOrchestrator.Sandbox.Media;

/// <summary>The <c>mediafile</c> part as seen while streaming it: its name, size and first bytes.</summary>
internal sealed record MediaFilePart(string FileName, long Length, byte[] Head);

internal enum MediaReadFailure
{
    None,
    NotMultipart,
    Malformed,
    MissingFile,
    Empty,
    TooLarge,
}

/// <summary>
/// Streams a multipart body through a small pooled buffer: only the length and the first
/// <see cref="MediaFileTypes.SignatureLength"/> bytes are kept, so memory stays flat whatever the
/// upload size, and reading stops as soon as the file exceeds its limit.
/// </summary>
internal static class MediaUploadReader
{
    public const string PartName = "mediafile";

    // Other form fields are tolerated (curl users add them) but cannot smuggle in a large body.
    private const long MaxOtherPartBytes = 64 * 1024;
    private const int BufferSize = 64 * 1024;

    public static async Task<(MediaFilePart? File, MediaReadFailure Failure)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary) is not { Length: > 0 and <= 200 } boundary)
        {
            return (null, MediaReadFailure.NotMultipart);
        }

        var reader = new MultipartReader(boundary.ToString(), request.Body) { HeadersLengthLimit = 16 * 1024 };
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                var isFile = disposition is not null
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(PartName, StringComparison.Ordinal);
                var limit = isFile ? maxBytes : MaxOtherPartBytes;
                var head = new byte[MediaFileTypes.SignatureLength];
                long length = 0;
                int read;
                while ((read = await section.Body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    if (length < head.Length)
                    {
                        buffer.AsSpan(0, (int)Math.Min(read, head.Length - length)).CopyTo(head.AsSpan((int)length));
                    }

                    length += read;
                    if (length > limit)
                    {
                        return (null, isFile ? MediaReadFailure.TooLarge : MediaReadFailure.Malformed);
                    }
                }

                if (isFile)
                {
                    return length == 0
                        ? (null, MediaReadFailure.Empty)
                        : (new MediaFilePart(FileNameOf(disposition!), length, head[..(int)Math.Min(length, head.Length)]), MediaReadFailure.None);
                }
            }

            return (null, MediaReadFailure.MissingFile);
        }
        catch (InvalidDataException)
        {
            return (null, MediaReadFailure.Malformed);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // MultipartReader's "unexpected end of stream": the body stopped before its closing boundary.
            return (null, MediaReadFailure.Malformed);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, MediaReadFailure.TooLarge);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string FileNameOf(ContentDispositionHeaderValue disposition)
    {
        var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar : HeaderUtilities.RemoveQuotes(disposition.FileName);
        return name.HasValue && name.Length > 0 ? Path.GetFileName(name.ToString()) : PartName;
    }
}
