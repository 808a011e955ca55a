using System.Net;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests.Templates;

/// <summary>The template list: seeds, filters, limit and cursor paging.</summary>
public sealed class TemplateListTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const int SeedCount = 7;

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task List_NewWaba_ReturnsTheSeededTemplatesOnOnePage()
    {
        var list = await Client.ListAsync(TemplateApi.Templates(TemplateApi.NewWaba()));

        var templates = list["templates"]!.AsArray();
        Assert.Equal(SeedCount, templates.Count);
        Assert.Equal(["APPROVED", "DISABLED", "PAUSED", "REJECTED"], templates.Select(t => t!["status"]!.GetValue<string>()).Distinct().Order());
        Assert.Equal(["AUTHENTICATION", "MARKETING", "UTILITY"], templates.Select(t => t!["category"]!.GetValue<string>()).Distinct().Order());
        Assert.True(templates.Select(t => t!["language"]!.GetValue<string>()).Distinct().Count() >= 4);
        var sample = templates.Single(t => t!["name"]!.GetValue<string>() == "sample_issue_resolution")!;
        Assert.Equal("MARKETING", sample["previous_category"]!.GetValue<string>());
        Assert.Equal("GREEN", sample["quality_score"]!.GetValue<string>());
        Assert.NotNull(list["paging"]!["cursors"]!["before"]);
        Assert.NotNull(list["paging"]!["cursors"]!["after"]);
        Assert.Null(list["paging"]!["next"]);
        Assert.Null(list["paging"]!["previous"]);
    }

    [Fact]
    public async Task List_WithoutLimit_Returns25()
    {
        var waba = TemplateApi.NewWaba();
        await CreateManyAsync(waba, 30);

        var list = await Client.ListAsync(TemplateApi.Templates(waba));

        Assert.Equal(25, list["templates"]!.AsArray().Count);
        Assert.NotNull(list["paging"]!["next"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-3")]
    [InlineData("ten")]
    [InlineData("2.5")]
    public async Task List_WithLimitOutOfRange_Is422NamingLimit(string limit)
    {
        using var response = await Client.GetAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}?limit={limit}");

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "limit");
    }

    [Fact]
    public async Task List_WithLimit500_IsAccepted()
    {
        var list = await Client.ListAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}?limit=500");

        Assert.Equal(SeedCount, list["templates"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("after=garbage!", "after")]
    [InlineData("after=MjQZD", "after")]
    [InlineData("before=MAZDZD", "before")]
    [InlineData("after=dHBsOjE&before=dHBsOjE", "before")]
    public async Task List_WithInvalidCursor_Is422NamingIt(string query, string field)
    {
        using var response = await Client.GetAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}?{query}");

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", field);
    }

    [Theory]
    [InlineData("category=PROMO", "category")]
    [InlineData("status=LIVE", "status")]
    [InlineData("quality_score=BLUE", "quality_score")]
    public async Task List_WithUnknownEnumFilter_Is422NamingIt(string query, string field)
    {
        using var response = await Client.GetAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}?{query}");

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", field);
    }

    [Theory]
    [InlineData("category=AUTHENTICATION", new[] { "verification_code", "codigo_verificacion" })]
    [InlineData("category=marketing", new[] { "summer_offer", "weekly_jackpot" })]
    [InlineData("status=PAUSED", new[] { "summer_offer" })]
    [InlineData("status=REJECTED", new[] { "weekly_jackpot" })]
    [InlineData("quality_score=YELLOW", new[] { "sample_shipping_confirmation" })]
    [InlineData("quality_score=RED", new[] { "summer_offer" })]
    [InlineData("language=es", new[] { "codigo_verificacion" })]
    [InlineData("language=en_US", new[] { "sample_shipping_confirmation" })]
    [InlineData("name=SAMPLE", new[] { "sample_issue_resolution", "sample_shipping_confirmation" })]
    [InlineData("name=_CODE", new[] { "verification_code" })]
    [InlineData("content=special%20OFFER", new[] { "summer_offer" })]
    [InlineData("content=verification", new[] { "verification_code" })]
    [InlineData("name_or_content=verific", new[] { "verification_code", "codigo_verificacion" })]
    [InlineData("name_or_content=parcel", new[] { "sample_issue_resolution" })]
    [InlineData("category=UTILITY&status=APPROVED&quality_score=GREEN", new[] { "sample_issue_resolution" })]
    [InlineData("name=does_not_exist", new string[0])]
    public async Task List_WithFilters_ReturnsOnlyMatchingTemplates(string query, string[] expected)
    {
        var list = await Client.ListAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}?{query}");

        Assert.Equal(expected.Order(), TemplateApi.Names(list).Order());
    }

    [Fact]
    public async Task List_EmptyResult_HasNoCursorsOrLinks()
    {
        var list = await Client.ListAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}?name=nothing_here");

        Assert.Empty(list["templates"]!.AsArray());
        Assert.Null(list["paging"]!["cursors"]!["after"]);
        Assert.Null(list["paging"]!["next"]);
        Assert.Null(list["paging"]!["previous"]);
    }

    [Fact]
    public async Task List_FilterOnReviewedStatus_SeesReviewOutcome()
    {
        var waba = TemplateApi.NewWaba();
        var id = await Client.CreateAsync(waba, TemplateApi.Valid("review_me"));
        await Client.WaitForReviewAsync(waba, id);

        var approved = await Client.ListAsync($"{TemplateApi.Templates(waba)}?status=APPROVED&name=review_me");
        var pending = await Client.ListAsync($"{TemplateApi.Templates(waba)}?status=PENDING");

        Assert.Equal([id], TemplateApi.Ids(approved));
        Assert.Empty(pending["templates"]!.AsArray());
    }

    [Fact]
    public async Task Cursors_Over1000Templates_VisitEachExactlyOnceInBothDirections()
    {
        var waba = TemplateApi.NewWaba();
        var created = await CreateManyAsync(waba, 1000);
        var all = created.Concat(TemplateApi.Ids(await Client.ListAsync($"{TemplateApi.Templates(waba)}?limit=500"))).ToHashSet();
        Assert.Equal(1000 + SeedCount, all.Count);

        // Forward with `after` until there is no next page.
        var forward = new List<string>();
        var page = await Client.ListAsync($"{TemplateApi.Templates(waba)}?limit=37");
        forward.AddRange(TemplateApi.Ids(page));
        Assert.Null(page["paging"]!["previous"]);
        while (page["paging"]!["next"] is not null)
        {
            page = await Client.ListAsync($"{TemplateApi.Templates(waba)}?limit=37&after={page["paging"]!["cursors"]!["after"]!.GetValue<string>()}");
            forward.AddRange(TemplateApi.Ids(page));
            Assert.NotNull(page["paging"]!["previous"]);
        }

        // Backward from the last page with `before` until there is no previous page.
        var backward = TemplateApi.Ids(page);
        while (page["paging"]!["previous"] is not null)
        {
            page = await Client.ListAsync($"{TemplateApi.Templates(waba)}?limit=37&before={page["paging"]!["cursors"]!["before"]!.GetValue<string>()}");
            backward.InsertRange(0, TemplateApi.Ids(page));
            Assert.NotNull(page["paging"]!["next"]);
        }

        Assert.Equal(all.Count, forward.Count);
        Assert.Equal(all.Count, forward.Distinct().Count());
        Assert.True(all.SetEquals(forward));
        Assert.Equal(forward, backward);
    }

    [Fact]
    public async Task Cursors_FollowingTheNextLink_KeepsFiltersAndLimit()
    {
        var waba = TemplateApi.NewWaba();
        await CreateManyAsync(waba, 12, category: "MARKETING");

        var first = await Client.ListAsync($"{TemplateApi.Templates(waba)}?limit=5&category=MARKETING");
        var next = new Uri(first["paging"]!["next"]!.GetValue<string>());
        var second = await Client.ListAsync(next.PathAndQuery.TrimStart('/'));
        var back = await Client.ListAsync(new Uri(second["paging"]!["previous"]!.GetValue<string>()).PathAndQuery.TrimStart('/'));

        Assert.Equal(fixture.Host.BaseAddress.Authority, next.Authority);
        Assert.StartsWith("http://", next.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("category=MARKETING", next.Query, StringComparison.Ordinal);
        Assert.Equal(5, TemplateApi.Ids(second).Count);
        Assert.All(second["templates"]!.AsArray(), t => Assert.Equal("MARKETING", t!["category"]!.GetValue<string>()));
        Assert.Empty(TemplateApi.Ids(first).Intersect(TemplateApi.Ids(second)));
        Assert.Equal(TemplateApi.Ids(first), TemplateApi.Ids(back));
    }

    [Fact]
    public async Task Cursors_AreStableWhenTemplatesAreAddedOrDeletedBetweenPages()
    {
        var waba = TemplateApi.NewWaba();
        await CreateManyAsync(waba, 10);
        var first = await Client.ListAsync($"{TemplateApi.Templates(waba)}?limit=6");
        var firstIds = TemplateApi.Ids(first);

        // The cursor's own template disappears and new ones arrive before the next page is read.
        var last = first["templates"]!.AsArray()[^1]!["name"]!.GetValue<string>();
        using var deleted = await Client.DeleteAsync($"{TemplateApi.Templates(waba)}?name={last}");
        var added = await CreateManyAsync(waba, 3, prefix: "late");
        var rest = new List<string>();
        var page = await Client.ListAsync($"{TemplateApi.Templates(waba)}?limit=6&after={first["paging"]!["cursors"]!["after"]!.GetValue<string>()}");
        rest.AddRange(TemplateApi.Ids(page));
        while (page["paging"]!["next"] is not null)
        {
            page = await Client.ListAsync($"{TemplateApi.Templates(waba)}?limit=6&after={page["paging"]!["cursors"]!["after"]!.GetValue<string>()}");
            rest.AddRange(TemplateApi.Ids(page));
        }

        Assert.Empty(firstIds.Intersect(rest));
        Assert.Equal(SeedCount + 10 - 1 + 3, firstIds.Count - 1 + rest.Count);
        Assert.Equal(added, rest.TakeLast(3));
    }

    private async Task<List<string>> CreateManyAsync(string waba, int count, string category = "UTILITY", string prefix = "bulk")
    {
        // A few at a time: exercises concurrent creates without flooding the shared machine.
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            ids[i] = await Client.CreateAsync(waba, TemplateApi.Valid($"{prefix}_{i:D4}", category: category)));
        return ids.OrderBy(long.Parse).ToList();
    }
}
