using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Sandbox.Infrastructure;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests.Templates;

/// <summary>Templates in hosts of their own: a path prefix, a manual clock, small limits, reset, concurrency.</summary>
public sealed class TemplateHostingTests
{
    [Fact]
    public async Task PagingLinks_UnderAPathPrefix_PointAtThePrefixedSandbox()
    {
        await using var host = await TemplateTestHost.StartAsync(prefix: "/sandbox");
        var waba = TemplateApi.NewWaba();

        var first = await host.Client.ListAsync($"{TemplateApi.Templates(waba)}?limit=3&status=APPROVED");
        var next = first["paging"]!["next"]!.GetValue<string>();
        using var nextResponse = await host.Client.GetAsync(new Uri(next));
        var second = (await nextResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        var previous = second["paging"]!["previous"]!.GetValue<string>();

        var expectedStart = $"{host.Root}v2/whatsapp-manager/wabas/{waba}/templates?";
        Assert.StartsWith("http://127.0.0.1:", next, StringComparison.Ordinal);
        Assert.StartsWith(expectedStart, next, StringComparison.Ordinal);
        Assert.StartsWith(expectedStart, previous, StringComparison.Ordinal);
        Assert.Contains("/sandbox/v2/", next, StringComparison.Ordinal);
        Assert.Contains("status=APPROVED", next, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, nextResponse.StatusCode);
        Assert.NotEmpty(second["templates"]!.AsArray());
        Assert.Empty(TemplateApi.Ids(first).Intersect(TemplateApi.Ids(second)));
    }

    [Fact]
    public async Task Review_WithAManualClock_StaysPendingUntilTheDelayHasPassed()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TemplateTestHost.StartAsync(time: clock, reviewDelay: TimeSpan.FromMinutes(1));
        var waba = TemplateApi.NewWaba();

        var id = await host.Client.CreateAsync(waba, TemplateApi.Valid("clocked"));
        var created = await host.Client.GetTemplateAsync(waba, id);
        clock.Advance(TimeSpan.FromSeconds(59));
        var almost = await host.Client.GetTemplateAsync(waba, id);
        clock.Advance(TimeSpan.FromSeconds(1));
        var reviewed = await host.Client.GetTemplateAsync(waba, id);

        Assert.Equal("PENDING", created["status"]!.GetValue<string>());
        Assert.Null(created["quality_score"]);
        Assert.Equal("PENDING", almost["status"]!.GetValue<string>());
        Assert.Equal("APPROVED", reviewed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_WhilePending_Is422NamingTemplateId()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TemplateTestHost.StartAsync(time: clock, reviewDelay: TimeSpan.FromMinutes(1));
        var waba = TemplateApi.NewWaba();
        var id = await host.Client.CreateAsync(waba, TemplateApi.Valid("in_review"));

        using var response = await host.Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{id}", TemplateApi.Valid("in_review").ToJsonString());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "template_id");
        Assert.Contains("PENDING", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_TwiceBeforeReview_OnlyTheLastEditIsReviewed()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TemplateTestHost.StartAsync(time: clock, reviewDelay: TimeSpan.FromMinutes(1));
        var waba = TemplateApi.NewWaba();
        var id = await host.Client.CreateAsync(waba, TemplateApi.Valid("re_edited"));
        clock.Advance(TimeSpan.FromMinutes(1));
        using var edit = await host.Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{id}", TemplateApi.Valid("re_edited", body: "Hi {{1}}, casino night!").ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, edit.StatusCode);

        // The first review's due time has passed; it must not approve the edited, pending template.
        var pending = await host.Client.GetTemplateAsync(waba, id);
        clock.Advance(TimeSpan.FromMinutes(1));
        var reviewed = await host.Client.GetTemplateAsync(waba, id);

        Assert.Equal("PENDING", pending["status"]!.GetValue<string>());
        Assert.Equal("REJECTED", reviewed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Limits_TemplatesPerWaba_Refuses422()
    {
        await using var host = await TemplateTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Templates:MaxTemplatesPerWaba"] = "9" });
        var waba = TemplateApi.NewWaba();
        await host.Client.CreateAsync(waba, TemplateApi.Valid("eighth"));
        await host.Client.CreateAsync(waba, TemplateApi.Valid("ninth"));

        using var response = await host.Client.PostJsonAsync(TemplateApi.Templates(waba), TemplateApi.Valid("tenth").ToJsonString());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020");
        await host.Client.CreateAsync(TemplateApi.NewWaba(), TemplateApi.Valid("tenth"));
    }

    [Fact]
    public async Task Limits_Wabas_RefusesANewWabaButServesKnownOnes()
    {
        await using var host = await TemplateTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Templates:MaxWabas"] = "2" });
        var known = TemplateApi.NewWaba();
        await host.Client.ListAsync(TemplateApi.Templates(known));
        await host.Client.ListAsync(TemplateApi.Templates(TemplateApi.NewWaba()));

        using var refused = await host.Client.GetAsync(TemplateApi.Templates(TemplateApi.NewWaba()));

        await TemplateApi.AssertProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "1020");
        await host.Client.CreateAsync(known, TemplateApi.Valid("still_works"));
    }

    [Fact]
    public async Task Limits_TotalTemplates_CountsSeedsAndFreesOnDelete()
    {
        await using var host = await TemplateTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Templates:MaxTemplates"] = "15" });
        var waba = TemplateApi.NewWaba();
        await host.Client.ListAsync(TemplateApi.Templates(waba));
        await host.Client.ListAsync(TemplateApi.Templates(TemplateApi.NewWaba()));
        await host.Client.CreateAsync(waba, TemplateApi.Valid("last_one"));

        using var full = await host.Client.PostJsonAsync(TemplateApi.Templates(waba), TemplateApi.Valid("one_too_many").ToJsonString());
        using var noRoomForSeeds = await host.Client.GetAsync(TemplateApi.Templates(TemplateApi.NewWaba()));
        using var deleted = await host.Client.DeleteAsync($"{TemplateApi.Templates(waba)}?name=last_one");

        await TemplateApi.AssertProblemAsync(full, HttpStatusCode.UnprocessableEntity, "1020");
        await TemplateApi.AssertProblemAsync(noRoomForSeeds, HttpStatusCode.UnprocessableEntity, "1020");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await host.Client.CreateAsync(waba, TemplateApi.Valid("one_too_many"));
    }

    [Fact]
    public async Task Reset_ForgetsTemplatesAndHandlesAndReseeds()
    {
        await using var host = await TemplateTestHost.StartAsync();
        var waba = TemplateApi.NewWaba();
        var id = await host.Client.CreateAsync(waba, TemplateApi.Valid("before_reset"));
        var handle = await host.Client.UploadHandleAsync("image/png", MediaSamples.Png(), "logo.png");

        foreach (var store in host.App.Services.GetServices<IResettable>())
        {
            store.Reset();
        }

        using var gone = await host.Client.GetAsync($"{TemplateApi.Templates(waba)}/{id}");
        await TemplateApi.AssertProblemAsync(gone, HttpStatusCode.NotFound, "1040");
        Assert.Equal(7, (await host.Client.ListAsync(TemplateApi.Templates(waba)))["templates"]!.AsArray().Count);
        using var stale = await host.Client.PostJsonAsync(TemplateApi.Templates(waba), MediaTemplate("after_reset", "IMAGE", handle).ToJsonString());
        await TemplateApi.AssertProblemAsync(stale, HttpStatusCode.UnprocessableEntity, "1020", "components[0].example.header_handle[0]");
    }

    [Fact]
    public async Task Create_ConcurrentDuplicates_ExactlyOneWinsPerNameAndLanguage()
    {
        await using var host = await TemplateTestHost.StartAsync();
        var waba = TemplateApi.NewWaba();
        var attempts = Enumerable.Range(0, 200).Select(i => TemplateApi.Valid($"race_{i % 20:D2}")).ToList();

        var statuses = await Task.WhenAll(attempts.Select(async template =>
        {
            using var response = await host.Client.PostJsonAsync(TemplateApi.Templates(waba), template.ToJsonString());
            return response.StatusCode;
        }));

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(180, statuses.Count(s => s == HttpStatusCode.UnprocessableEntity));
        var list = await host.Client.ListAsync($"{TemplateApi.Templates(waba)}?name=race_&limit=500");
        Assert.Equal(20, TemplateApi.Names(list).Distinct().Count());
        Assert.Equal(20, TemplateApi.Names(list).Count);
    }

    internal static JsonObject MediaTemplate(string name, string format, string handle) => new()
    {
        ["name"] = name,
        ["language"] = "en",
        ["category"] = "MARKETING",
        ["components"] = new JsonArray(
            new JsonObject { ["type"] = "HEADER", ["format"] = format, ["example"] = new JsonObject { ["header_handle"] = new JsonArray(handle) } },
            TemplateApi.BodyComponent("Hi {{1}}, look at this.")),
    };
}
