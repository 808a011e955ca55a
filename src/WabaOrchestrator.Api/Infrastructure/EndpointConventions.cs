using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace WabaOrchestrator.Api.Infrastructure;

public static class EndpointConventions
{
    /// <summary>JSON bodies are small; uploads set their own limit.</summary>
    public const long JsonBodyLimit = 1024 * 1024;

    /// <summary>The errors of an endpoint that reads a JSON body (400, 413, 415, 422), its size limit, plus <paramref name="statuses"/>.</summary>
    public static RouteHandlerBuilder ProducesJsonBodyErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        builder.WithMetadata(new RequestSizeLimitAttribute(JsonBodyLimit));
        foreach (var status in new[] { StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity }.Concat(statuses))
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
