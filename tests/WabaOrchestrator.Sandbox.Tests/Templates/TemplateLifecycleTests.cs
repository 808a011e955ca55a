using System.Net;
using System.Text.Json.Nodes;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests.Templates;

/// <summary>Create, get, review, update and delete through the fixture's sandbox (review delay 50 ms).</summary>
public sealed class TemplateLifecycleTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Create_ReturnsIdAndTheTemplateIsApprovedAfterReview()
    {
        var waba = TemplateApi.NewWaba();

        var id = await Client.CreateAsync(waba, TemplateApi.Valid("order_shipped"));

        Assert.Matches("^[0-9]{16}$", id);
        var reviewed = await Client.WaitForReviewAsync(waba, id);
        Assert.Equal("APPROVED", reviewed["status"]!.GetValue<string>());
        Assert.Equal("UNKNOWN", reviewed["quality_score"]!.GetValue<string>());
        Assert.Equal("order_shipped", reviewed["name"]!.GetValue<string>());
        Assert.Equal("en", reviewed["language"]!.GetValue<string>());
        Assert.Equal("UTILITY", reviewed["category"]!.GetValue<string>());
        Assert.Null(reviewed["previous_category"]);
        var body = reviewed["components"]![0]!;
        Assert.Equal("BODY", body["type"]!.GetValue<string>());
        Assert.Equal("TEXT", body["format"]!.GetValue<string>());
        Assert.Equal("Ana", body["example"]!["body_text"]![0]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Win the LOTTERY today, {{1}}!")]
    [InlineData("Hi {{1}}, the casino opens tonight.")]
    [InlineData("Hello {{1}}, try gambling with us.")]
    [InlineData("Hey {{1}}, the jackpot is yours.")]
    public async Task Create_WithABlockedWordInTheBody_IsRejectedAfterReview(string body)
    {
        var waba = TemplateApi.NewWaba();

        var id = await Client.CreateAsync(waba, TemplateApi.Valid("promo_blocked", category: "MARKETING", body: body));

        var reviewed = await Client.WaitForReviewAsync(waba, id);
        Assert.Equal("REJECTED", reviewed["status"]!.GetValue<string>());
        Assert.Equal("ABUSIVE_CONTENT", reviewed["rejected_reason"]!.GetValue<string>());
        Assert.Null(reviewed["quality_score"]);
    }

    [Fact]
    public async Task Create_WithABlockedWordInsideAnotherWord_IsApproved()
    {
        var waba = TemplateApi.NewWaba();

        var id = await Client.CreateAsync(waba, TemplateApi.Valid("casinos_plural", body: "Hi {{1}}, casinos_and_lotteryish words are fine."));

        Assert.Equal("APPROVED", (await Client.WaitForReviewAsync(waba, id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_SameNameAndLanguageTwice_Is422NamingName()
    {
        var waba = TemplateApi.NewWaba();
        var first = await Client.CreateAsync(waba, TemplateApi.Valid("welcome"));

        using var response = await Client.PostJsonAsync(TemplateApi.Templates(waba), TemplateApi.Valid("welcome", body: "Another {{1}} text.").ToJsonString());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "name");
        Assert.Contains(first, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_SameNameInAnotherLanguageOrWaba_IsAccepted()
    {
        var waba = TemplateApi.NewWaba();
        var english = await Client.CreateAsync(waba, TemplateApi.Valid("welcome"));

        var spanish = await Client.CreateAsync(waba, TemplateApi.Valid("welcome", language: "es"));
        var elsewhere = await Client.CreateAsync(TemplateApi.NewWaba(), TemplateApi.Valid("welcome"));

        Assert.Equal(3, new[] { english, spanish, elsewhere }.Distinct().Count());
    }

    [Fact]
    public async Task Create_OnAWabaWithSeeds_CannotReuseASeededNameAndLanguage()
    {
        using var response = await Client.PostJsonAsync(TemplateApi.Templates(TemplateApi.NewWaba()), TemplateApi.Valid("sample_issue_resolution").ToJsonString());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "name");
    }

    [Theory]
    [InlineData("999")]
    [InlineData("not-a-number")]
    [InlineData("99999999999999999999999")]
    public async Task Get_UnknownTemplate_Is404(string templateId)
    {
        using var response = await Client.GetAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}/{templateId}");

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "1040");
    }

    [Fact]
    public async Task Get_TemplateOfAnotherWaba_Is404()
    {
        var id = await Client.CreateAsync(TemplateApi.NewWaba(), TemplateApi.Valid("mine"));

        using var response = await Client.GetAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}/{id}");

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "1040");
    }

    [Fact]
    public async Task Update_ApprovedTemplate_Is204AndGoesBackToReview()
    {
        var waba = TemplateApi.NewWaba();
        var id = await Client.CreateAsync(waba, TemplateApi.Valid("order_update"));
        Assert.Equal("APPROVED", (await Client.WaitForReviewAsync(waba, id))["status"]!.GetValue<string>());

        var edited = TemplateApi.Valid("order_update", category: "MARKETING", body: "Hi {{1}}, your order {{2}} is on its way.");
        edited["components"]![0]!["example"] = new JsonObject { ["body_text"] = new JsonArray(new JsonArray("Ana", "A-1")) };
        using var response = await Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{id}", edited.ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var reviewed = await Client.WaitForReviewAsync(waba, id);
        Assert.Equal("APPROVED", reviewed["status"]!.GetValue<string>());
        Assert.Equal("MARKETING", reviewed["category"]!.GetValue<string>());
        Assert.Equal("UTILITY", reviewed["previous_category"]!.GetValue<string>());
        Assert.Equal("Hi {{1}}, your order {{2}} is on its way.", reviewed["components"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_RejectedTemplate_CanBeFixedAndApproved()
    {
        var waba = TemplateApi.NewWaba();
        var id = await Client.CreateAsync(waba, TemplateApi.Valid("weekly_draw", category: "MARKETING", body: "Hi {{1}}, play the lottery!"));
        Assert.Equal("REJECTED", (await Client.WaitForReviewAsync(waba, id))["status"]!.GetValue<string>());

        using var response = await Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{id}",
            TemplateApi.Valid("weekly_draw", category: "MARKETING", body: "Hi {{1}}, see this week's offers.").ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var reviewed = await Client.WaitForReviewAsync(waba, id);
        Assert.Equal("APPROVED", reviewed["status"]!.GetValue<string>());
        Assert.Null(reviewed["rejected_reason"]);
    }

    [Fact]
    public async Task Update_PausedSeedTemplate_IsAllowed()
    {
        var waba = TemplateApi.NewWaba();
        var paused = await SeedIdAsync(waba, "summer_offer");

        using var response = await Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{paused}",
            TemplateApi.Valid("summer_offer", category: "MARKETING", body: "Hi {{1}}, autumn offers are here.").ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Update_DisabledSeedTemplate_Is422NamingTemplateId()
    {
        var waba = TemplateApi.NewWaba();
        var disabled = await SeedIdAsync(waba, "legacy_account_update");

        using var response = await Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{disabled}",
            TemplateApi.Valid("legacy_account_update", language: "pt_BR").ToJsonString());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "template_id");
        Assert.Contains("DISABLED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ChangingNameOrLanguage_Is422NamingThatField()
    {
        var waba = TemplateApi.NewWaba();
        var id = await SeedIdAsync(waba, "sample_issue_resolution");

        using var renamed = await Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{id}", TemplateApi.Valid("another_name").ToJsonString());
        using var translated = await Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{id}", TemplateApi.Valid("sample_issue_resolution", language: "fr").ToJsonString());

        await TemplateApi.AssertProblemAsync(renamed, HttpStatusCode.UnprocessableEntity, "1020", "name");
        await TemplateApi.AssertProblemAsync(translated, HttpStatusCode.UnprocessableEntity, "1020", "language");
    }

    [Fact]
    public async Task Update_WithABrokenRule_IsValidatedLikeCreate()
    {
        var waba = TemplateApi.NewWaba();
        var id = await SeedIdAsync(waba, "sample_issue_resolution");

        using var response = await Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{id}",
            TemplateApi.Valid("sample_issue_resolution", body: "{{1}} starts the body").ToJsonString());
        using var notJson = await Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{id}", "{");

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "components[0].text");
        await TemplateApi.AssertProblemAsync(notJson, HttpStatusCode.BadRequest, "1020");
        Assert.Equal("APPROVED", (await Client.GetTemplateAsync(waba, id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_UnknownTemplate_Is404()
    {
        using var response = await Client.PutJsonAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}/123", TemplateApi.Valid("x").ToJsonString());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "1040");
    }

    [Fact]
    public async Task Delete_ByName_RemovesEveryLanguage()
    {
        var waba = TemplateApi.NewWaba();
        var english = await Client.CreateAsync(waba, TemplateApi.Valid("goodbye"));
        var french = await Client.CreateAsync(waba, TemplateApi.Valid("goodbye", language: "fr"));
        var other = await Client.CreateAsync(waba, TemplateApi.Valid("goodbye_later"));

        using var response = await Client.DeleteAsync($"{TemplateApi.Templates(waba)}?name=goodbye");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await AssertGoneAsync(waba, english);
        await AssertGoneAsync(waba, french);
        Assert.Equal("goodbye_later", (await Client.GetTemplateAsync(waba, other))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_ByNameAndHsmId_RemovesOnlyThatTemplate()
    {
        var waba = TemplateApi.NewWaba();
        var english = await Client.CreateAsync(waba, TemplateApi.Valid("goodbye"));
        var french = await Client.CreateAsync(waba, TemplateApi.Valid("goodbye", language: "fr"));

        using var response = await Client.DeleteAsync($"{TemplateApi.Templates(waba)}?name=goodbye&hsm_id={french}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await AssertGoneAsync(waba, french);
        Assert.Equal("en", (await Client.GetTemplateAsync(waba, english))["language"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_ThenCreateSameName_IsAccepted()
    {
        var waba = TemplateApi.NewWaba();
        var first = await Client.CreateAsync(waba, TemplateApi.Valid("again"));
        using var deleted = await Client.DeleteAsync($"{TemplateApi.Templates(waba)}?name=again");

        var second = await Client.CreateAsync(waba, TemplateApi.Valid("again"));

        Assert.NotEqual(first, second);
        Assert.Equal("again", (await Client.GetTemplateAsync(waba, second))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_WithoutName_Is422NamingName()
    {
        using var response = await Client.DeleteAsync($"{TemplateApi.Templates(TemplateApi.NewWaba())}?hsm_id=1");

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "name");
    }

    [Theory]
    [InlineData("?name=never_created")]
    [InlineData("?name=sample_issue_resolution&hsm_id=1")]
    [InlineData("?name=sample_issue_resolution&hsm_id=abc")]
    public async Task Delete_MatchingNothing_Is404(string query)
    {
        using var response = await Client.DeleteAsync(TemplateApi.Templates(TemplateApi.NewWaba()) + query);

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "1040");
    }

    [Fact]
    public async Task Delete_WithHsmIdOfAnotherName_Is404AndKeepsTheTemplate()
    {
        var waba = TemplateApi.NewWaba();
        var id = await Client.CreateAsync(waba, TemplateApi.Valid("keep_me"));

        using var response = await Client.DeleteAsync($"{TemplateApi.Templates(waba)}?name=other_name&hsm_id={id}");

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "1040");
        Assert.Equal("keep_me", (await Client.GetTemplateAsync(waba, id))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_DeletedTemplate_Is404()
    {
        var waba = TemplateApi.NewWaba();
        var id = await Client.CreateAsync(waba, TemplateApi.Valid("short_lived"));
        using var deleted = await Client.DeleteAsync($"{TemplateApi.Templates(waba)}?name=short_lived");

        using var response = await Client.PutJsonAsync($"{TemplateApi.Templates(waba)}/{id}", TemplateApi.Valid("short_lived").ToJsonString());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "1040");
    }

    private async Task<string> SeedIdAsync(string waba, string name)
    {
        var list = await Client.ListAsync($"{TemplateApi.Templates(waba)}?name={name}");
        return list["templates"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();
    }

    private async Task AssertGoneAsync(string waba, string id)
    {
        using var response = await Client.GetAsync($"{TemplateApi.Templates(waba)}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
