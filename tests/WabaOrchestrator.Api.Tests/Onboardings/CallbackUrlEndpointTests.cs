using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Api.Tests.Infrastructure;

namespace WabaOrchestrator.Api.Tests.Onboardings;

/// <summary>Issue 14's callback SSRF at the door: URLs naming internal addresses literally, in any form, are a 422.</summary>
public sealed class CallbackUrlEndpointTests
{
    [Fact]
    public async Task Start_CallbackUrlNamingAnInternalAddressOrAnUnlistedHost_Is422NamingCallbackUrlAndStartsNothing()
    {
        // Its own stack with the production rules (the shared one lets callbacks reach test receivers on loopback).
        await using var host = await ApiHost.StartAsync(new()
        {
            Settings = new Dictionary<string, string?>
            {
                ["Onboarding:Callbacks:AllowHttp"] = "true",
                ["Onboarding:Callbacks:AllowPrivateAddresses"] = "false",
                ["Onboarding:Callbacks:AllowedHosts:0"] = "*.caller.example",
            },
        });
        var port = host.BaseAddress.Port;
        var cases = new (string Url, string Reason)[]
        {
            ($"http://127.0.0.1:{port}/api/onboardings", "loopback"),
            ("http://169.254.169.254/metadata/instance", "cloud metadata"),
            ("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata"),
            ("http://168.63.129.16/machine", "Azure wire server"),
            ("http://2130706433/hooks", "loopback"),
            ("http://0x7f.1/hooks", "loopback"),
            ("http://[::ffff:127.0.0.1]/hooks", "loopback"),
            ("http://[::1]/hooks", "loopback"),
            ("http://10.0.0.4/hooks", "private"),
            ("https://hooks.elsewhere.example/status", "AllowedHosts"),
        };

        foreach (var (url, reason) in cases)
        {
            var request = OnboardingApi.Request(ApiHostFixture.NewNumber());
            var body = JsonSerializer.SerializeToNode(request)!.AsObject();
            body["callback_url"] = url;
            using var response = await host.Client.PostAsJsonAsync("api/onboardings", body);

            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{url} answered {(int)response.StatusCode}.");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var parameter = Assert.Single(problem.GetProperty("invalid_parameters").EnumerateArray());
            Assert.Equal("callback_url", parameter.GetProperty("name").GetString());
            Assert.Contains(reason, parameter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain((await host.SandboxStatsAsync()).Keys, key => key.Contains("whatsapp-manager", StringComparison.Ordinal));
        var list = await host.Client.GetFromJsonAsync<JsonElement>("api/onboardings");
        Assert.Equal(0, list.GetProperty("instances").GetArrayLength());
    }
}
