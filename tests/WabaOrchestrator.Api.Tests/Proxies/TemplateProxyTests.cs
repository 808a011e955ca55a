using System.Net;
using System.Text.Json;
using WabaOrchestrator.Testing;
using static WabaOrchestrator.Api.Tests.Proxies.ProxyAssert;

namespace WabaOrchestrator.Api.Tests.Proxies;

public sealed class TemplateProxyTests(ProxyStack stack) : IClassFixture<ProxyStack>
{
    private static string NewWaba() => "10" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static object Template(string name, string body = "Hello {{1}}, your order has shipped.") => new
    {
        name,
        language = "en",
        category = "UTILITY",
        components = new object[] { new { type = "BODY", text = body, example = new { body_text = new[] { new[] { "Ana" } } } } },
    };

    [Fact]
    public async Task List_WithFilters_ReturnsVonagesMatchingTemplates()
    {
        var waba = NewWaba();

        var page = await JsonAsync(await stack.Api.GetAsync($"api/wabas/{waba}/templates?status=approved&category=AUTHENTICATION&language=es"));

        var only = Assert.Single(page.GetProperty("templates").EnumerateArray());
        Assert.Equal("codigo_verificacion", only.GetProperty("name").GetString());
    }

    [Fact]
    public async Task List_NameOrContentAndQualityFilters_AreForwarded()
    {
        var waba = NewWaba();

        var page = await JsonAsync(await stack.Api.GetAsync($"api/wabas/{waba}/templates?name_or_content=parcel&quality_score=green"));

        Assert.Equal("sample_issue_resolution", Assert.Single(page.GetProperty("templates").EnumerateArray()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("status=sleeping", "status")]
    [InlineData("category=spam", "category")]
    [InlineData("quality_score=purple", "quality_score")]
    [InlineData("before=a&after=b", "before")]
    public async Task List_BadQuery_Is422NamingTheParameterWithoutCallingVonage(string query, string field)
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.GetAsync($"api/wabas/{NewWaba()}/templates?{query}"), HttpStatusCode.UnprocessableEntity, field);

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task List_PagingLinks_PointAtThisServiceAndKeepCursorAndFilters()
    {
        var waba = NewWaba();

        var first = await JsonAsync(await stack.Api.GetAsync($"api/wabas/{waba}/templates?limit=2&language=en"));
        var next = new Uri(first.GetProperty("paging").GetProperty("next").GetString()!);
        var second = await JsonAsync(await stack.Api.GetAsync(next));
        var previous = new Uri(second.GetProperty("paging").GetProperty("previous").GetString()!);
        var back = await JsonAsync(await stack.Api.GetAsync(previous));

        Assert.Equal(stack.Host.BaseAddress.Authority, next.Authority);
        Assert.Equal($"/api/wabas/{waba}/templates", next.AbsolutePath);
        Assert.Contains("limit=2", next.Query, StringComparison.Ordinal);
        Assert.Contains("language=en", next.Query, StringComparison.Ordinal);
        Assert.Contains("after=", next.Query, StringComparison.Ordinal);
        Assert.Contains("before=", previous.Query, StringComparison.Ordinal);
        Assert.Equal(Names(first), Names(back));
        Assert.Empty(Names(first).Intersect(Names(second)));
    }

    [Fact]
    public async Task List_BehindAProxy_LinksUseTheForwardedHostAndScheme()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/wabas/{NewWaba()}/templates?limit=1");
        request.Headers.Add("X-Forwarded-Host", "waba.example.com, internal.lb");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var page = await JsonAsync(await stack.Api.SendAsync(request));

        Assert.StartsWith("https://waba.example.com/api/wabas/", page.GetProperty("paging").GetProperty("next").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ForgedForwardedHeaders_AreIgnored()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/wabas/{NewWaba()}/templates?limit=1");
        request.Headers.Add("X-Forwarded-Host", "evil.example/phish?x=");
        request.Headers.Add("X-Forwarded-Proto", "javascript");

        var page = await JsonAsync(await stack.Api.SendAsync(request));

        Assert.StartsWith(stack.Host.BaseAddress.AbsoluteUri + "api/wabas/", page.GetProperty("paging").GetProperty("next").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_KeyInQueryString_NeverAppearsInPagingLinks()
    {
        // The Functions platform takes ?code=; the local host ignores it, and neither carries it into a link.
        using var client = stack.Host.CreateClient();

        var page = await JsonAsync(await client.GetAsync($"api/wabas/{NewWaba()}/templates?limit=1&code={Uri.EscapeDataString(ProxyStackKey)}"));

        Assert.DoesNotContain("code=", page.GetProperty("paging").GetProperty("next").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateGetUpdateDelete_RoundTripThroughVonage()
    {
        var waba = NewWaba();

        var created = await JsonAsync(await stack.Api.PostAsync($"api/wabas/{waba}/templates", Json(Template("order_update"))));
        var id = created.GetProperty("id").GetString();
        var approvedName = await Poll.UntilAsync(
            async () =>
            {
                var template = await JsonAsync(await stack.Api.GetAsync($"api/wabas/{waba}/templates/{id}"));
                return template.GetProperty("status").GetString() == "APPROVED" ? template.GetProperty("name").GetString() : null;
            },
            "the template review");
        var updated = await stack.Api.PutAsync($"api/wabas/{waba}/templates/{id}", Json(Template("order_update", "Hi {{1}}, your order is on its way.")));
        var after = await JsonAsync(await stack.Api.GetAsync($"api/wabas/{waba}/templates/{id}"));
        var deleted = await stack.Api.DeleteAsync($"api/wabas/{waba}/templates?name=order_update&hsm_id={id}");
        var gone = await stack.Api.GetAsync($"api/wabas/{waba}/templates/{id}");

        Assert.Equal("order_update", approvedName);
        Assert.Equal(HttpStatusCode.NoContent, updated.StatusCode);
        Assert.Equal("Hi {{1}}, your order is on its way.", after.GetProperty("components")[0].GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAsync(gone, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteByName_RemovesEveryLanguage()
    {
        var waba = NewWaba();

        var response = await stack.Api.DeleteAsync($"api/wabas/{waba}/templates?name=verification_code");
        var page = await JsonAsync(await stack.Api.GetAsync($"api/wabas/{waba}/templates?name=verification_code"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(page.GetProperty("templates").EnumerateArray());
    }

    [Fact]
    public async Task Delete_WithoutName_Is422WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.DeleteAsync($"api/wabas/{NewWaba()}/templates?hsm_id=a..b"), HttpStatusCode.UnprocessableEntity, "name", "hsm_id");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Create_BreakingMetasRules_Is422NamingEachWithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(
            await stack.Api.PostAsync($"api/wabas/{NewWaba()}/templates", Json(new
            {
                name = "Bad Name",
                language = "",
                category = "SPAM",
                components = new object[] { new { type = "BODY", text = "{{1}} starts with a placeholder" } },
            })),
            HttpStatusCode.UnprocessableEntity, "name", "language", "category", "components[0].text", "components[0].example.body_text");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Create_BodyOverOneMegabyte_Is413WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        using var response = await stack.Api.PostAsync($"api/wabas/{NewWaba()}/templates", RawJson("{\"name\":\"" + new string('a', 1_100_000) + "\"}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Create_FieldOfWrongJsonType_Is400NamingIt()
    {
        await ProblemAsync(await stack.Api.PostAsync($"api/wabas/{NewWaba()}/templates", RawJson("""{"name": 5, "language": "en"}""")), HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task Create_DuplicateNameAndLanguage_RelaysVonages422()
    {
        var problem = await ProblemAsync(
            await stack.Api.PostAsync($"api/wabas/{NewWaba()}/templates", Json(Template("verification_code"))), HttpStatusCode.UnprocessableEntity, "name");

        Assert.Contains("messages-olympus", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownTemplate_RelaysVonages404()
    {
        var problem = await ProblemAsync(await stack.Api.GetAsync($"api/wabas/{NewWaba()}/templates/999999999"), HttpStatusCode.NotFound);

        Assert.EndsWith("#1040", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_InvalidBody_Is422WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PutAsync($"api/wabas/{NewWaba()}/templates/123", Json(new { name = "x", language = "en", category = "UTILITY" })),
            HttpStatusCode.UnprocessableEntity, "components");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    private const string ProxyStackKey = WabaOrchestrator.Testing.StackHost.ApiKey;

    private static string?[] Names(JsonElement page) => [.. page.GetProperty("templates").EnumerateArray().Select(t => t.GetProperty("name").GetString())];
}
