using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>Drives onboardings on a <see cref="ProcessStack"/> through its public HTTP APIs only.</summary>
public static class Onboardings
{
    public const string VerifyOperation = "POST /v0.1/whatsapp-manager/deployments/{deployment_id}/verify";

    /// <summary>Generous: the machine is shared and the host may be restarting.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    /// <summary>Posts an onboarding request (snake_case object) and returns its instance id.</summary>
    public static async Task<string> StartAsync(ProcessStack stack, object request)
    {
        using var response = await stack.Client.PostAsJsonAsync("api/onboardings", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"start answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> StatusAsync(ProcessStack stack, string id) =>
        await stack.Client.GetFromJsonAsync<JsonElement>($"api/onboardings/{id}");

    public static string? Stage(JsonElement status) =>
        status.TryGetProperty("customStatus", out var custom) && custom.ValueKind == JsonValueKind.Object && custom.TryGetProperty("stage", out var stage)
            ? stage.GetString()
            : null;

    /// <summary>The status once its stage is <paramref name="stage"/>; fails fast if the onboarding ends first.</summary>
    public static async Task<JsonElement> WaitForStageAsync(ProcessStack stack, string id, string stage) =>
        (JsonElement)await Poll.UntilAsync<object>(
            async () =>
            {
                var status = await StatusAsync(stack, id);
                if (Stage(status) == stage)
                {
                    return status;
                }

                var runtime = status.GetProperty("runtimeStatus").GetString();
                Assert.True(runtime is "Running" or "Pending", $"{id} ended ({runtime}) before reaching {stage}: {status}");
                return null;
            },
            $"{id} to reach {stage}",
            Deadline);

    /// <summary>The status once the onboarding has ended (Completed, Failed or Terminated).</summary>
    public static async Task<JsonElement> WaitForEndAsync(ProcessStack stack, string id) =>
        (JsonElement)await Poll.UntilAsync<object>(
            async () =>
            {
                var status = await StatusAsync(stack, id);
                return status.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" or "Terminated" ? status : null;
            },
            $"{id} to end",
            Deadline);

    /// <summary>Waits for the OTP stage and returns the deployment id and the code the sandbox sent for it.</summary>
    public static async Task<(string DeploymentId, string Code)> WaitForOtpAsync(ProcessStack stack, string id)
    {
        var status = await WaitForStageAsync(stack, id, "WaitingForOtp");
        var deploymentId = status.GetProperty("customStatus").GetProperty("deployment_id").GetString()!;
        return (deploymentId, await SandboxCodeAsync(stack, deploymentId));
    }

    /// <summary>The last code the sandbox sent (texted or "called") for a deployment.</summary>
    public static async Task<string> SandboxCodeAsync(ProcessStack stack, string deploymentId)
    {
        var otp = await stack.SandboxClient.GetFromJsonAsync<JsonElement>($"_sandbox/deployments/{deploymentId}/otp");
        return otp.GetProperty("code").GetString()!;
    }

    /// <summary>How Vonage (the sandbox) answered verify calls so far, by status code; empty when none was made.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> VerifyCallsAsync(ProcessStack stack) =>
        (await stack.SandboxStatsAsync()).GetValueOrDefault(VerifyOperation) ?? [];

    public static int AttemptsLeft(JsonElement status) =>
        status.GetProperty("customStatus").GetProperty("otp").GetProperty("attempts_left").GetInt32();
}
