using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WabaOrchestrator.Bench;

/// <summary>
/// Starts voice onboardings through the host's HTTP API and waits until they all sit in <c>WaitingForOtp</c>: the
/// sandbox never delivers a voice code, so each stays there, holding a pending event wait and a window timer.
/// </summary>
internal sealed class MemoryOnboardings(HttpClient api)
{
    private const string CountryCode = "44";

    /// <summary>Requests in flight while starting: enough to keep both the API and the engine busy.</summary>
    private const int InFlight = 32;

    public static string InstanceId(int index) => $"waba-{CountryCode}{Number(index)}";

    /// <summary>Starts onboardings <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive); every one must be accepted.</summary>
    public async Task StartAsync(int from, int to, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            Enumerable.Range(from, to - from),
            new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                using var response = await api.PostAsJsonAsync("api/onboardings", Request(i), ct);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"Starting onboarding {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                }
            });

    /// <summary>Polls the API's list until <paramref name="expected"/> onboardings wait for their code; a failed one ends the run.</summary>
    public async Task WaitUntilWaitingAsync(int expected, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var waiting = 0;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await tick.WaitForNextTickAsync(cancellationToken))
        {
            if (await CountAsync("runtimeStatus=Failed,Terminated", 1, cancellationToken) > 0)
            {
                throw new InvalidOperationException("An onboarding failed before reaching WaitingForOtp; see the host's logs.");
            }

            waiting = await CountAsync("runtimeStatus=Running&stage=WaitingForOtp", int.MaxValue, cancellationToken, "WaitingForOtp");
            if (waiting >= expected)
            {
                return;
            }

            if (clock.Elapsed > deadline)
            {
                break;
            }
        }

        throw new TimeoutException($"Only {waiting} of {expected} onboardings reached WaitingForOtp within {deadline}.");
    }

    private async Task<int> CountAsync(string filter, int enough, CancellationToken cancellationToken, string? stage = null)
    {
        var count = 0;
        string? token = null;
        do
        {
            var query = $"api/onboardings?{filter}&top=1000" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = await api.GetFromJsonAsync<JsonObject>(query, cancellationToken)
                ?? throw new InvalidOperationException("The onboarding list answered null.");
            // Checked here too rather than trusting the filter alone: a count of the wrong thing would measure too early.
            count += page["instances"]!.AsArray().Count(i => stage is null || i?["customStatus"]?["stage"]?.ToString() == stage);
            token = page["continuationToken"]?.GetValueKind() == JsonValueKind.String ? page["continuationToken"]!.GetValue<string>() : null;
        }
        while (token is not null && count < enough);

        return count;
    }

    private static object Request(int index) => new
    {
        country_code = CountryCode,
        number = Number(index),
        vname_certificate = "bench-cert",
        method = "voice",
        waba_id = "123456",
        profile = new { about = "Fresh bread daily" },
    };

    // Ten digits, unique per index, like the UK 7700 900xxx drama range the docs use.
    private static string Number(int index) => "77" + index.ToString("D8", CultureInfo.InvariantCulture);
}
