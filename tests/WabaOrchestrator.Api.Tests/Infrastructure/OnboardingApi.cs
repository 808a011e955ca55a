using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Api.Tests.Infrastructure;

/// <summary>Drives onboardings through the HTTP API and reads them back, as a caller would.</summary>
public static class OnboardingApi
{
    public static object Request(string number, string method = "sms", string certificate = "cert") =>
        new { country_code = "44", number, vname_certificate = certificate, method, waba_id = "123456" };

    public static async Task<JsonElement> StartAsync(HttpClient client, string number, string method = "sms")
    {
        using var response = await client.PostAsJsonAsync("api/onboardings", Request(number, method));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement?> GetAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"api/onboardings/{id}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string? Stage(JsonElement onboarding) =>
        onboarding.TryGetProperty("customStatus", out var status) && status.ValueKind == JsonValueKind.Object && status.TryGetProperty("stage", out var stage) ? stage.GetString() : null;

    /// <summary>Waits until the onboarding waits for its OTP; returns the deployment id.</summary>
    public static Task<string> WaitForOtpAsync(HttpClient client, string id) =>
        Poll.UntilAsync(async () => await GetAsync(client, id) is { } o && Stage(o) == "WaitingForOtp"
            ? o.GetProperty("customStatus").GetProperty("deployment_id").GetString()
            : null, $"{id} to wait for its OTP");

    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string id, string runtimeStatus) =>
        (JsonElement)await Poll.UntilAsync<object>(
            async () => await GetAsync(client, id) is { } o && o.GetProperty("runtimeStatus").GetString() == runtimeStatus ? o : null,
            $"{id} to be {runtimeStatus}");

    /// <summary>The code the sandbox sent for a deployment.</summary>
    public static async Task<string> SandboxCodeAsync(StackHost host, string deploymentId)
    {
        var otp = await host.SandboxClient.GetFromJsonAsync<JsonElement>($"_sandbox/deployments/{deploymentId}/otp");
        return otp.GetProperty("code").GetString()!;
    }

    public static int Count(Dictionary<string, Dictionary<string, int>> stats, string operation) =>
        stats.TryGetValue(operation, out var byStatus) ? byStatus.Values.Sum() : 0;
}
