using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Vonage;
using WabaOrchestrator.Vonage.Deployments;

namespace WabaOrchestrator.Bench;

/// <summary>
/// What the typed client adds per call with the network taken out: the same GET through the full
/// client and through a bare HttpClient, both over an in-memory transport that answers a canned
/// deployment. On a shared machine this is the steadier figure; the socket runs give the ratio.
/// </summary>
internal static class ClientOverhead
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"deployment_id":"aaaaaaaa-bbbb-cccc-dddd-0123456789ab","waba_id":"123","country_code":"44","number":"7700900000","api_key":"abcd1234","current_state":{"title":"CODE_SENT","detail":"Code sent"}}""");

    /// <summary>Microseconds per call: (bare HttpClient, typed client), best of three one-second runs each.</summary>
    public static async Task<(double Raw, double Client)> MeasureAsync(string privateKeyPem, TimeSpan duration, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vonage:BaseUrl"] = "http://in-memory/",
            ["Vonage:ApplicationId"] = "bench",
            ["Vonage:PrivateKey"] = privateKeyPem,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddVonageWhatsApp(configuration);
        services.AddHttpClient(VonageServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new CannedHandler());
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IDeploymentsClient>();
        using var raw = new HttpClient(new CannedHandler()) { BaseAddress = new Uri("http://in-memory/") };

        double bestRaw = double.MaxValue, bestClient = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            bestRaw = Math.Min(bestRaw, await PerCallAsync(async () =>
            {
                using var response = await raw.GetAsync("v0.1/whatsapp-manager/deployments/aaaaaaaa-bbbb-cccc-dddd-0123456789ab", cancellationToken);
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
            }, duration));
            bestClient = Math.Min(bestClient, await PerCallAsync(() => client.GetAsync("aaaaaaaa-bbbb-cccc-dddd-0123456789ab", cancellationToken), duration));
        }

        return (bestRaw, bestClient);
    }

    private static async Task<double> PerCallAsync(Func<Task> call, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        long calls = 0;
        while (clock.Elapsed < duration)
        {
            await call();
            calls++;
        }

        return clock.Elapsed.TotalMicroseconds / calls;
    }

    private sealed class CannedHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new ByteArrayContent(Body) { Headers = { ContentType = new("application/json") } },
                RequestMessage = request,
            });
    }
}
