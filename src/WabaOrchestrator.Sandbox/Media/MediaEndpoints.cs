using Microsoft.Extensions.DependencyInjection.Extensions;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Media;

internal static class MediaEndpoints
{
    public const string UploadsPath = "/v2/whatsapp-manager/media/uploads";

    public static IServiceCollection AddSandboxMedia(this IServiceCollection services)
    {
        services.AddOptions<MediaOptions>()
            .BindConfiguration(MediaOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.HandleLifetime > TimeSpan.Zero, "Sandbox:Media:HandleLifetime must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MediaUploadStore>();
        services.AddSingleton<IResettable>(sp => sp.GetRequiredService<MediaUploadStore>());
        return services;
    }

    public static IEndpointRouteBuilder MapMediaUploads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(UploadsPath, UploadAsync);
        return endpoints;
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, MediaUploadStore store)
    {
        var fileType = request.Query["file_type"].LastOrDefault()?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(fileType))
        {
            return Invalid("file_type", "Is required: one of " + string.Join(", ", MediaFileTypes.Uploadable) + ".");
        }

        if (!MediaFileTypes.IsUploadable(fileType))
        {
            return Invalid("file_type", "Must be one of " + string.Join(", ", MediaFileTypes.Uploadable) + ".");
        }

        var maxBytes = MediaFileTypes.MaxBytes(fileType);
        var (file, failure) = await MediaUploadReader.ReadAsync(request, maxBytes, request.HttpContext.RequestAborted);
        switch (failure)
        {
            case MediaReadFailure.NotMultipart:
                return Invalid(MediaUploadReader.PartName, "Send the file as multipart/form-data in a part named mediafile.");
            case MediaReadFailure.Malformed:
                return Invalid(MediaUploadReader.PartName, "The multipart/form-data body is malformed.");
            case MediaReadFailure.MissingFile:
                return Invalid(MediaUploadReader.PartName, "Is required: no multipart part named mediafile was sent.");
            case MediaReadFailure.Empty:
                return Invalid(MediaUploadReader.PartName, "Must not be empty.");
            case MediaReadFailure.TooLarge:
                return VonageProblems.Create(VonageApi.TemplateManagement, StatusCodes.Status413PayloadTooLarge, "1020", "Payload Too Large",
                    $"A {fileType} file can be at most {maxBytes / (1024 * 1024)} MB.",
                    [new InvalidParameter(MediaUploadReader.PartName, $"Must be at most {maxBytes} bytes for {fileType}.")]);
            case MediaReadFailure.None:
            default:
                break;
        }

        if (!MediaFileTypes.SignatureMatches(fileType, file!.Head))
        {
            return Invalid(MediaUploadReader.PartName, $"The content is not a {fileType} file (its leading bytes do not match).");
        }

        var upload = store.Issue(file.FileName, fileType, file.Length);
        return Results.Json(new MediaUploaded(upload.Handle), SandboxJson.Options);
    }

    private static VonageProblemResult Invalid(string name, string reason) =>
        VonageProblems.Unprocessable(VonageApi.TemplateManagement, [new InvalidParameter(name, reason)]);
}

internal sealed record MediaUploaded(string H);
