using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Api.Webhooks;

public static class WebhookEndpoints
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .Configure<IConfiguration>((o, configuration) =>
            {
                if (string.IsNullOrEmpty(o.SignatureSecret))
                {
                    o.SignatureSecret = configuration["Vonage:SignatureSecret"];
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, OtpSmsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MessageIdDeduplicator>();
        services.TryAddSingleton<OtpSmsFilter>();
        // Hosts register their durable store (SQLite, Blob storage) instead; this one forgets on restart.
        services.TryAddSingleton<IWebhookTokenStore, InMemoryWebhookTokenStore>();
        return services;
    }

    /// <summary>Anonymous (Vonage holds no key): every delivery is signature-verified instead.</summary>
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(InboundSmsHandler.Route, [HttpMethods.Post, HttpMethods.Get], InboundSmsHandler.Handle)
            .WithTags("Webhooks")
            .WithName("InboundSms")
            .WithSummary("Vonage inbound-SMS webhook (JSON or form POST, or GET): signed-webhook JWT verified, the OTP raised on waba-{to}.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .DisableAntiforgery();
        return endpoints;
    }
}
