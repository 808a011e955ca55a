using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>
/// One process stack for the whole corpus, seeded with a little real state: a completed sms onboarding (so an
/// instance, a READY deployment and its WABA exist) and a template in that WABA.
/// </summary>
public sealed class BadInputStack : IAsyncLifetime
{
    private const string SeedNumber = "7700900123";

    public ProcessStack Stack { get; private set; } = null!;

    public CorpusContext Context { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await ProcessStack.StartAsync();
        using var started = await Stack.Client.PostAsJsonAsync("api/onboardings", new
        {
            country_code = "44",
            number = SeedNumber,
            vname_certificate = "seed-cert",
            method = "sms",
            waba_id = "123456",
            profile = new { about = "Fresh bread daily" },
        });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var instanceId = "waba-44" + SeedNumber;
        var output = (JsonElement)await Poll.UntilAsync<object>(
            async () =>
            {
                var status = await Stack.Client.GetFromJsonAsync<JsonElement>($"api/onboardings/{instanceId}");
                return status.GetProperty("runtimeStatus").GetString() == "Completed" ? status.GetProperty("output") : null;
            },
            "the seed onboarding to complete",
            TimeSpan.FromMinutes(2));
        Assert.Equal("READY", output.GetProperty("state").GetString());

        using var template = await Stack.Client.PostAsync(
            "api/wabas/123456/templates",
            new StringContent(ProxyCorpus.ValidTemplate.Replace("corpus_template", "corpus_seed", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        var templateId = (await template.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // The sandbox reviews a new template after a delay; wait for it, so the template reads the same all run long.
        await Poll.UntilAsync(
            async () => (await Stack.Client.GetFromJsonAsync<JsonElement>($"api/wabas/123456/templates/{templateId}")).GetProperty("status").GetString() == "APPROVED",
            "the seed template to be approved");
        Context = new CorpusContext(ProcessStack.ApiKey, Stack.SignatureSecret, instanceId, output.GetProperty("deployment_id").GetString()!, "123456", templateId);
    }

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}
