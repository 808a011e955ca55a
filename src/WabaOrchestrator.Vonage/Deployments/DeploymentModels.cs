using System.Text;
using System.Text.Json.Serialization;

namespace WabaOrchestrator.Vonage.Deployments;

/// <summary>Body of <c>POST /v0.1/whatsapp-manager/deployments</c>.</summary>
public sealed record ProvisionDeploymentRequest(
    [property: JsonPropertyName("country_code")] string CountryCode,
    [property: JsonPropertyName("number")] string Number,
    [property: JsonPropertyName("vname_certificate")] string VnameCertificate,
    [property: JsonPropertyName("method")] OtpMethod Method,
    [property: JsonPropertyName("waba_id")] string WabaId,
    [property: JsonPropertyName("pin")] string? Pin = null)
{
    // The certificate and PIN are secrets: keep them out of logs that print the record.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CountryCode = ").Append(CountryCode).Append(", Number = ").Append(Number)
            .Append(", VnameCertificate = ***, Method = ").Append(Method).Append(", WabaId = ").Append(WabaId)
            .Append(", Pin = ").Append(Pin is null ? "null" : "***");
        return true;
    }
}

/// <summary>A deployment, as provision (202) and get (200) return it.</summary>
public sealed record Deployment(
    [property: JsonPropertyName("deployment_id")] string DeploymentId,
    [property: JsonPropertyName("waba_id")] string? WabaId,
    [property: JsonPropertyName("country_code")] string? CountryCode,
    [property: JsonPropertyName("number")] string? Number,
    [property: JsonPropertyName("api_key")] string? ApiKey,
    [property: JsonPropertyName("current_state")] DeploymentCurrentState? CurrentState)
{
    /// <summary>Shortcut for <c>current_state.title</c>.</summary>
    [JsonIgnore]
    public DeploymentState? State => CurrentState?.Title;
}

public sealed record DeploymentCurrentState(
    [property: JsonPropertyName("title")] DeploymentState Title,
    [property: JsonPropertyName("detail")] string? Detail);

/// <summary>Body of <c>resend-otp</c>; a null method keeps the deployment's method.</summary>
public sealed record ResendOtpRequest(
    [property: JsonPropertyName("method")] OtpMethod? Method = null);

/// <summary>The 202 answer of <c>resend-otp</c>.</summary>
public sealed record ResendOtpResult(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("vname")] string? Vname,
    [property: JsonPropertyName("method")] OtpMethod? Method);

/// <summary>Body of <c>verify</c>.</summary>
public sealed record VerifyOtpRequest(
    [property: JsonPropertyName("code")] string Code)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Code = ***");
        return true;
    }
}

/// <summary>The 201 answer of <c>verify</c>.</summary>
public sealed record VerifyOtpResult(
    [property: JsonPropertyName("deployment_id")] string DeploymentId,
    [property: JsonPropertyName("status")] string? Status);
