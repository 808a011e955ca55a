using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Api.Infrastructure;

namespace WabaOrchestrator.Api.Onboardings;

/// <summary>
/// Durable Functions' management payload for one onboarding: absolute URLs on this service (the public origin when
/// behind a proxy). Status is <c>GET /api/onboardings/{id}</c>; the event URL takes an OTP; terminate is a hard stop
/// without clean-up (<c>DELETE /api/onboardings/{id}</c> is the cancel with clean-up); purge deletes a finished
/// instance's history.
/// </summary>
public sealed record ManagementLinks(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("statusQueryGetUri")] string StatusQueryGetUri,
    [property: JsonPropertyName("sendEventPostUri")] string SendEventPostUri,
    [property: JsonPropertyName("terminatePostUri")] string TerminatePostUri,
    [property: JsonPropertyName("purgeHistoryDeleteUri")] string PurgeHistoryDeleteUri)
{
    public const string BasePath = "/api/onboardings";

    public static ManagementLinks For(HttpRequest request, string instanceId)
    {
        var status = PublicOrigin.Url(request, $"{BasePath}/{Uri.EscapeDataString(instanceId)}");
        return new(instanceId, status, status + "/otp", status + "/terminate", status + "/history");
    }

    /// <summary>The links as problem-details extensions, for the 409 that points at the onboarding already running.</summary>
    public IDictionary<string, object?> ToExtensions() => new Dictionary<string, object?>
    {
        ["id"] = Id,
        ["statusQueryGetUri"] = StatusQueryGetUri,
        ["sendEventPostUri"] = SendEventPostUri,
        ["terminatePostUri"] = TerminatePostUri,
        ["purgeHistoryDeleteUri"] = PurgeHistoryDeleteUri,
    };
}
