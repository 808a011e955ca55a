using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Local.Tests;

/// <summary>The engine's real faults as the API and /healthz show them, and the settings that bound its shutdown and buffers.</summary>
public sealed class EngineHealthTests
{
    [Fact]
    public async Task WhileTheDiskIsFull_StartsAnswer503WithRetryAfter_HealthIsUnhealthy_AndBothRecover()
    {
        await using var host = await TempLocalHost.StartAsync("--Sandbox:StepDelay=00:00:00.020");
        using var client = await host.CreateClientAsync(withKey: true);
        using (var healthy = await client.GetAsync("healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        // A real SQLITE_FULL: the engine's own connection may not grow the file any more (as on a full disk).
        var engine = host.App.Services.GetRequiredService<SqliteDurableEngine>();
        await engine.SendAsync(new StoreCommand(s => s.CapAtCurrentSize()), CancellationToken.None);

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 500 && refused is null; i++)
        {
            var number = "77009" + i.ToString("D5", CultureInfo.InvariantCulture);
            var response = await client.PostAsJsonAsync("api/onboardings", new { country_code = "44", number, vname_certificate = "cert", method = "voice", waba_id = "123456" });
            if (response.StatusCode == HttpStatusCode.Accepted || response.StatusCode == HttpStatusCode.Created || response.StatusCode == HttpStatusCode.OK)
            {
                response.Dispose();
                continue;
            }

            refused = response;
        }

        using (refused)
        {
            Assert.NotNull(refused);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.EndsWith("#store-unavailable", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        using (var unhealthy = await client.GetAsync("healthz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
            var report = await unhealthy.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("engine").GetProperty("status").GetString());
        }

        await engine.SendAsync(new StoreCommand(s => s.LiftSizeCap()), CancellationToken.None);
        using var started = await client.PostAsJsonAsync("api/onboardings", new { country_code = "44", number = "7700999999", vname_certificate = "cert", method = "voice", waba_id = "123456" });
        Assert.True(started.IsSuccessStatusCode, $"{started.StatusCode}");
        await Poll.UntilAsync(
            async () =>
            {
                using var health = await client.GetAsync("healthz");
                return health.StatusCode == HttpStatusCode.OK;
            },
            "health to be Healthy again once the disk has room",
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ShutdownTimeoutAndMaxBufferedEvents_AreSettings_WithDefaultsOf30SecondsAnd100()
    {
        await using (var defaults = await TempLocalHost.StartAsync())
        {
            Assert.Equal(TimeSpan.FromSeconds(30), defaults.App.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
            Assert.Equal(100, defaults.App.Services.GetRequiredService<IOptions<SqliteDurableEngineOptions>>().Value.MaxBufferedEvents);
        }

        await using var tuned = await TempLocalHost.StartAsync("--shutdownTimeoutSeconds=7", "--Durable:MaxBufferedEvents=5");
        Assert.Equal(TimeSpan.FromSeconds(7), tuned.App.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Equal(5, tuned.App.Services.GetRequiredService<IOptions<SqliteDurableEngineOptions>>().Value.MaxBufferedEvents);
    }
}
