using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WabaOrchestrator.Sandbox.Tests.Infrastructure;

/// <summary>Calls the sandbox the way a Vonage client would, plus polling helpers.</summary>
public static class SandboxApi
{
    public const string Deployments = "v0.1/whatsapp-manager/deployments";

    /// <summary>A number no other test uses and that hits no scenario (never ends 0001 or 0002).</summary>
    public static string UniqueNumber() => "7" + RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + "9";

    public static object ProvisionBody(string? number = null, string method = "sms", string certificate = "AbCdEFGHiJK123456", string countryCode = "44") =>
        new Dictionary<string, string>
        {
            ["country_code"] = countryCode,
            ["number"] = number ?? UniqueNumber(),
            ["vname_certificate"] = certificate,
            ["method"] = method,
            ["waba_id"] = "123456789123",
        };

    public static async Task<string> ProvisionAsync(this HttpClient client, string? number = null, string method = "sms", string certificate = "AbCdEFGHiJK123456")
    {
        using var response = await client.PostAsJsonAsync(Deployments, ProvisionBody(number, method, certificate));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("deployment_id").GetString()!;
    }

    public static async Task<JsonElement> GetDeploymentAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"{Deployments}/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<string> StateAsync(this HttpClient client, string id) =>
        (await client.GetDeploymentAsync(id)).GetProperty("current_state").GetProperty("title").GetString()!;

    /// <summary>Polls until the deployment reaches <paramref name="state"/>; fails after a generous deadline.</summary>
    public static Task WaitForStateAsync(this HttpClient client, string id, string state) =>
        Eventually.TrueAsync(async () => await client.StateAsync(id) == state, $"deployment {id} to reach {state}");

    public static async Task<string> OtpAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"_sandbox/deployments/{id}/otp");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    public static Task<HttpResponseMessage> VerifyAsync(this HttpClient client, string id, string code) =>
        client.PostAsJsonAsync($"{Deployments}/{id}/verify", new { code });

    /// <summary>Provisions and walks a deployment to READY with the code the sandbox sent.</summary>
    public static async Task<string> ReadyDeploymentAsync(this HttpClient client)
    {
        var id = await client.ProvisionAsync();
        await client.WaitForStateAsync(id, "CODE_SENT");
        using var verified = await client.VerifyAsync(id, await client.OtpAsync(id));
        Assert.Equal(HttpStatusCode.Created, verified.StatusCode);
        await client.WaitForStateAsync(id, "READY");
        return id;
    }

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Asserts an RFC 7807 document in the v0.1 shape with the given status and code, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://developer.nexmo.com/api-errors/whatsapp-provisioning#" + code, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("instance").GetString()));
        return problem;
    }

    public static string[] InvalidParameterNames(this JsonElement problem) =>
        [.. problem.GetProperty("invalid_parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
}

/// <summary>Polling with a deadline: tests wait for conditions, never for fixed times.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await poll.WaitForNextTickAsync();
        }
    }
}
