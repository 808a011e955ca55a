using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Reliability;

/// <summary>One number a reliability test onboards; its <c>about</c> text is unique so its profile proves itself.</summary>
internal sealed record Member(string Number, string Method)
{
    public const string CountryCode = "44";

    public string InstanceId => $"waba-{CountryCode}{Number}";

    public string About => $"Bakery {Number}";

    public object Request => new
    {
        country_code = CountryCode,
        number = Number,
        vname_certificate = "e2e-cert",
        method = Method,
        waba_id = "123456",
        profile = new { about = About },
    };
}

/// <summary>
/// A batch of onboardings driven through the host's HTTP API, and the checks every reliability test makes on it:
/// all Completed and READY, one deployment each, the profile Vonage holds being the one sent. Failures carry the
/// ids, statuses and the tail of the host's logs, so a red run can be read without re-running it.
/// </summary>
internal sealed class Fleet(ProcessStack stack, IReadOnlyList<Member> members)
{
    public IReadOnlyList<Member> Members => members;

    public string HostLogs => stack.HostLogs;

    /// <summary>The host's error and critical entries, and any line naming an unhandled exception, across every run.</summary>
    public IReadOnlyList<string> HostErrors => [.. stack.HostLogs.Split('\n').Where(l =>
        l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)
        || l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase))];

    /// <summary>Fails when the host logged an error: every failure these tests provoke must be handled.</summary>
    public void AssertNoHostErrors(string context = "")
    {
        var errors = HostErrors;
        Assert.True(errors.Count == 0, Describe($"{context}The host logged {errors.Count} errors:\n" + string.Join('\n', ErrorEntries().Take(10))));
    }

    // Each error with the indented lines that follow it (its message and exception), for the failure message.
    private IEnumerable<string> ErrorEntries()
    {
        var lines = stack.HostLogs.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].StartsWith("crit:", StringComparison.Ordinal))
            {
                yield return string.Join('\n', lines.Skip(i).Take(1).Concat(lines.Skip(i + 1).TakeWhile(l => l.StartsWith(' ')).Take(40)));
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> (at most 9000) distinct numbers <c>{prefix}NNNN</c> from 1000 up, clear of the sandbox's
    /// scenario endings 0001 and 0002; every <paramref name="voiceEvery"/>-th is voice (0: none).
    /// </summary>
    public static IReadOnlyList<Member> Numbers(string prefix, int count, int voiceEvery = 0) =>
        [.. Enumerable.Range(0, count).Select(i => new Member(
            prefix + (1000 + i).ToString(CultureInfo.InvariantCulture),
            voiceEvery > 0 && i % voiceEvery == voiceEvery - 1 ? "voice" : "sms"))];

    public Task StartAllAsync() => StartAsync(members);

    /// <summary>Starts every one at once over HTTP; each must be accepted (202).</summary>
    public async Task StartAsync(IEnumerable<Member> batch)
    {
        var answers = await Task.WhenAll(batch.Select(async m =>
        {
            using var response = await stack.Client.PostAsJsonAsync("api/onboardings", m.Request);
            return (m.InstanceId, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Accepted).ToList();
        Assert.True(refused.Count == 0, Describe($"{refused.Count} starts were not accepted:\n" + string.Join('\n', refused.Select(r => $"  {r.InstanceId}: {(int)r.StatusCode} {r.Body}"))));
    }

    /// <summary>Polls the list endpoint until none of the fleet is Pending or Running, then reads each one's status.</summary>
    public async Task<IReadOnlyDictionary<string, JsonElement>> FinishedAsync(TimeSpan timeout)
    {
        var ids = members.Select(m => m.InstanceId).ToHashSet(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string> last = new Dictionary<string, string>();
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    last = await RuntimeStatusesAsync(ids);
                    return last.Count == ids.Count && last.Values.All(s => s is not ("Running" or "Pending"));
                },
                $"{ids.Count} onboardings to finish",
                timeout);
        }
        catch (TimeoutException e)
        {
            var statuses = await StatusesAsync();
            Assert.Fail(Describe($"{e.Message} Still unfinished: {last.Count(s => s.Value is "Running" or "Pending")}, unseen: {ids.Count - last.Count}.", statuses.Values));
        }

        return await StatusesAsync();
    }

    /// <summary>Every onboarding Completed with stage Completed and state READY, each on its own deployment.</summary>
    public void AssertAllReady(IReadOnlyDictionary<string, JsonElement> statuses)
    {
        var wrong = statuses.Values.Where(s => !(RuntimeStatus(s) == "Completed" && Output(s, "stage") == "Completed" && Output(s, "state") == "READY")).ToList();
        Assert.True(wrong.Count == 0, Describe($"{wrong.Count} of {statuses.Count} onboardings did not end Completed and READY:", wrong));

        var shared = statuses.Values.GroupBy(s => Output(s, "deployment_id")).Where(g => g.Count() > 1).ToList();
        Assert.True(shared.Count == 0, Describe("Deployments shared by several numbers:", shared.SelectMany(g => g)));
    }

    /// <summary>
    /// What Vonage holds, read back through the host's proxies: each number's deployment is READY and is that number's,
    /// and its profile is the one that number sent.
    /// </summary>
    public async Task AssertHeldByVonageAsync(IReadOnlyDictionary<string, JsonElement> statuses)
    {
        var mismatches = new List<string>();
        foreach (var member in members)
        {
            var deploymentId = Output(statuses[member.InstanceId], "deployment_id");
            var (deploymentStatus, deployment) = await GetAsync($"api/deployments/{deploymentId}");
            var (profileStatus, profile) = await GetAsync($"api/deployments/{deploymentId}/profile");
            var held = deployment is { } d && Text(d, "number") == member.Number && Text(d, "country_code") == Member.CountryCode
                && d.TryGetProperty("current_state", out var state) && Text(state, "title") == "READY";
            if (!held || profile is not { } p || Text(p, "about") != member.About)
            {
                mismatches.Add($"  {member.InstanceId} ({deploymentId}): deployment {deploymentStatus} {deployment?.GetRawText()}; profile {profileStatus} {profile?.GetRawText()}");
            }
        }

        Assert.True(mismatches.Count == 0, Describe($"{mismatches.Count} numbers are not READY at Vonage with the profile they sent:\n" + string.Join('\n', mismatches)));
    }

    public async Task<IReadOnlyDictionary<string, JsonElement>> StatusesAsync()
    {
        var statuses = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            statuses[member.InstanceId] = await stack.Client.GetFromJsonAsync<JsonElement>($"api/onboardings/{member.InstanceId}");
        }

        return statuses;
    }

    /// <summary>The message for a failed check: what went wrong, the onboardings concerned, and the end of the host's logs.</summary>
    public string Describe(string what, IEnumerable<JsonElement>? statuses = null)
    {
        var text = new StringBuilder(what).AppendLine();
        foreach (var status in (statuses ?? []).Take(40))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {status.GetProperty("instanceId").GetString()}: {RuntimeStatus(status)}")
                .Append(CultureInfo.InvariantCulture, $" stage={CustomStatus(status, "stage")} vonage={CustomStatus(status, "vonage_state")} deployment={CustomStatus(status, "deployment_id")}")
                .Append(CultureInfo.InvariantCulture, $" error={CustomStatus(status, "error")}")
                .Append(status.TryGetProperty("failureDetails", out var failure) ? $" failure={failure.GetRawText()}" : "")
                .AppendLine();
        }

        return text.Append("Host log tail:\n").Append(Tail(stack.HostLogs, 60)).ToString();
    }

    public static string? RuntimeStatus(JsonElement status) => status.GetProperty("runtimeStatus").GetString();

    public static string? Output(JsonElement status, string field) => Field(status, "output", field);

    public static string? CustomStatus(JsonElement status, string field) => Field(status, "customStatus", field);

    public static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static string? Field(JsonElement status, string section, string field) =>
        status.TryGetProperty(section, out var part) && part.ValueKind == JsonValueKind.Object
            && part.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task<(int Status, JsonElement? Body)> GetAsync(string path)
    {
        using var response = await stack.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.Clone() : null);
    }

    private async Task<IReadOnlyDictionary<string, string>> RuntimeStatusesAsync(HashSet<string> ids)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var path = $"api/onboardings?instanceIdPrefix=waba-{Member.CountryCode}&top=1000"
                + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await stack.Client.GetFromJsonAsync<JsonElement>(path);
            foreach (var instance in page.GetProperty("instances").EnumerateArray())
            {
                var id = instance.GetProperty("instanceId").GetString()!;
                if (ids.Contains(id))
                {
                    seen[id] = RuntimeStatus(instance)!;
                }
            }

            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);

        return seen;
    }
}
