using System.Net;
using System.Text.Json;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Templates;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Contract;

public sealed class TemplatesContractTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Templates = "/v2/whatsapp-manager/wabas/{id}/templates";

    private static string NewWaba() => Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static TemplateDefinition TextTemplate(string name, string body = "Your parcel from {{1}} is due on {{2}}, thanks.") => new(
        name, "en", TemplateCategory.Utility,
        [
            new TemplateComponent(ComponentType.Header, ComponentFormat.Text, "Parcel update"),
            new TemplateComponent(ComponentType.Body, ComponentFormat.Text, body, TemplateExample.ForBody("Courier", "May 1st")),
            new TemplateComponent(ComponentType.Footer, ComponentFormat.Text, "Reply STOP to opt out"),
            new TemplateComponent(ComponentType.Buttons, Buttons:
            [
                new TemplateButton(ButtonType.QuickReply, "Yes"),
                new TemplateButton(ButtonType.Url, "Track", Url: "https://example.com/track"),
                new TemplateButton(ButtonType.PhoneNumber, "Call us", PhoneNumber: "8001111111"),
            ]),
        ]);

    private async Task<Template> WaitForStatusAsync(string waba, string id, TemplateStatus status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var template = await sandbox.Templates.GetAsync(waba, id);
            if (template.Status == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, template.Status);
                return template;
            }

            await Task.Delay(10); // poll interval, bounded by the deadline above
        }
    }

    [Fact]
    public async Task Create_PostsMetasShape_AndGetReturnsThePendingTemplate()
    {
        var waba = NewWaba();

        var created = await sandbox.Templates.CreateAsync(waba, TextTemplate("parcel_update"));

        var sent = sandbox.Log.Last;
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal($"/v2/whatsapp-manager/wabas/{waba}/templates", sent.Uri.AbsolutePath);
        using (var body = JsonDocument.Parse(sent.Body!))
        {
            var example = body.RootElement.GetProperty("components")[1].GetProperty("example").GetProperty("body_text");
            Assert.Equal(JsonValueKind.Array, example[0].ValueKind);
            Assert.Equal("Courier", example[0][0].GetString());
            Assert.Equal("QUICK_REPLY", body.RootElement.GetProperty("components")[3].GetProperty("buttons")[0].GetProperty("type").GetString());
            Assert.Equal("8001111111", body.RootElement.GetProperty("components")[3].GetProperty("buttons")[2].GetProperty("phone_number").GetString());
        }

        var template = await sandbox.Templates.GetAsync(waba, created.Id);
        Assert.Equal(created.Id, template.Id);
        Assert.Equal("parcel_update", template.Name);
        Assert.Equal("en", template.Language);
        Assert.Equal(TemplateCategory.Utility, template.Category);
        Assert.Contains(template.Status, new[] { TemplateStatus.Pending, TemplateStatus.Approved });
        Assert.Equal(ComponentType.Body, template.Components.Single(c => c.Type == ComponentType.Body).Type);
        Assert.True(await sandbox.CountAsync($"GET {Templates}/{{template_id}}", 200) >= 1);

        var approved = await WaitForStatusAsync(waba, created.Id, TemplateStatus.Approved);
        Assert.Equal(TemplateQualityScore.Unknown, approved.QualityScore);
        Assert.Null(approved.RejectedReason);
    }

    [Fact]
    public async Task Create_WithABlockedWord_IsRejectedOnReview()
    {
        var waba = NewWaba();

        var created = await sandbox.Templates.CreateAsync(waba, TextTemplate("lucky_day", "Win the jackpot at {{1}} tonight, {{2}} only!"));

        var rejected = await WaitForStatusAsync(waba, created.Id, TemplateStatus.Rejected);
        Assert.Equal("ABUSIVE_CONTENT", rejected.RejectedReason);
    }

    [Fact]
    public async Task Create_TheSameNameAndLanguageTwice_ThrowsTheTemplateApisUnprocessable()
    {
        var waba = NewWaba();
        await sandbox.Templates.CreateAsync(waba, TextTemplate("twice"));

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Templates.CreateAsync(waba, TextTemplate("twice")));

        Assert.True(error.IsUnprocessable);
        Assert.Equal("1020", error.Code);
        Assert.False(string.IsNullOrEmpty(error.Instance)); // instance_id on this API
        Assert.NotEmpty(error.InvalidParameters);
    }

    [Fact]
    public async Task Update_PutsTheDefinition_Returns204_AndTheTemplateGoesBackToPending()
    {
        var waba = NewWaba();
        var created = await sandbox.Templates.CreateAsync(waba, TextTemplate("to_update"));
        await WaitForStatusAsync(waba, created.Id, TemplateStatus.Approved);

        await sandbox.Templates.UpdateAsync(waba, created.Id, TextTemplate("to_update", "Your order from {{1}} ships on {{2}}, thanks."));

        Assert.Equal(HttpMethod.Put, sandbox.Log.Last.Method);
        Assert.Equal($"/v2/whatsapp-manager/wabas/{waba}/templates/{created.Id}", sandbox.Log.Last.Uri.AbsolutePath);
        Assert.True(await sandbox.CountAsync($"PUT {Templates}/{{template_id}}", 204) >= 1);
        var updated = await sandbox.Templates.GetAsync(waba, created.Id);
        Assert.Equal("Your order from {{1}} ships on {{2}}, thanks.", updated.Components.Single(c => c.Type == ComponentType.Body).Text);
        Assert.Contains(updated.Status, new[] { TemplateStatus.Pending, TemplateStatus.Approved });
    }

    [Fact]
    public async Task Delete_ByNameAndHsmId_RemovesOneVariant_AndByName_RemovesTheRest()
    {
        var waba = NewWaba();
        var english = await sandbox.Templates.CreateAsync(waba, TextTemplate("multi"));
        var french = await sandbox.Templates.CreateAsync(waba, TextTemplate("multi") with { Language = "fr" });
        var spanish = await sandbox.Templates.CreateAsync(waba, TextTemplate("multi") with { Language = "es" });

        await sandbox.Templates.DeleteAsync(waba, "multi", english.Id);

        Assert.Equal($"?name=multi&hsm_id={english.Id}", sandbox.Log.Last.Uri.Query);
        Assert.True((await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Templates.GetAsync(waba, english.Id))).IsNotFound);
        Assert.Equal("multi", (await sandbox.Templates.GetAsync(waba, french.Id)).Name);

        await sandbox.Templates.DeleteAsync(waba, "multi");

        Assert.Equal("?name=multi", sandbox.Log.Last.Uri.Query);
        Assert.True((await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Templates.GetAsync(waba, french.Id))).IsNotFound);
        Assert.True((await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Templates.GetAsync(waba, spanish.Id))).IsNotFound);
        Assert.True(await sandbox.CountAsync($"DELETE {Templates}", 204) >= 2);
    }

    [Fact]
    public async Task ListAllAsync_FollowsTheAfterCursor_ToTheEnd_VisitingEachTemplateOnce()
    {
        var waba = NewWaba();
        for (var i = 0; i < 7; i++)
        {
            await sandbox.Templates.CreateAsync(waba, TextTemplate($"paged_{i}"));
        }

        var everything = (await sandbox.Templates.ListAsync(waba, new TemplateQuery { Limit = 500 })).Templates;
        sandbox.Log.Clear();

        var walked = new List<Template>();
        await foreach (var template in sandbox.Templates.ListAllAsync(waba, new TemplateQuery { Limit = 2 }))
        {
            walked.Add(template);
        }

        Assert.Equal(everything.Select(t => t.Id), walked.Select(t => t.Id));
        Assert.Equal(walked.Count, walked.Select(t => t.Id).Distinct().Count());
        var pages = sandbox.Log.Requests.Where(r => r.Method == HttpMethod.Get).ToList();
        Assert.Equal((everything.Count + 1) / 2, pages.Count);
        Assert.DoesNotContain("after=", pages[0].Uri.Query, StringComparison.Ordinal);
        Assert.All(pages.Skip(1), p => Assert.Contains("after=", p.Uri.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListAsync_SendsEveryFilter_AndReturnsPagingWithRawLinks()
    {
        var waba = NewWaba();
        for (var i = 0; i < 3; i++)
        {
            await sandbox.Templates.CreateAsync(waba, TextTemplate($"filter_me_{i}"));
        }

        var first = await sandbox.Templates.ListAsync(waba, new TemplateQuery { Limit = 2, Name = "FILTER_ME", Language = "en", Category = TemplateCategory.Utility });

        Assert.Equal(2, first.Templates.Count);
        Assert.All(first.Templates, t => Assert.StartsWith("filter_me_", t.Name, StringComparison.Ordinal));
        Assert.NotNull(first.Paging?.Next);
        Assert.StartsWith(sandbox.Host.BaseAddress.ToString().TrimEnd('/'), first.Paging!.Next, StringComparison.Ordinal);
        Assert.NotNull(first.NextCursor);
        Assert.Null(first.PreviousCursor);

        var second = await sandbox.Templates.ListAsync(waba, new TemplateQuery { Limit = 2, Name = "FILTER_ME", Language = "en", Category = TemplateCategory.Utility, After = first.NextCursor });
        Assert.Single(second.Templates);
        Assert.NotNull(second.PreviousCursor);
        var back = await sandbox.Templates.ListAsync(waba, new TemplateQuery { Limit = 2, Name = "FILTER_ME", Language = "en", Category = TemplateCategory.Utility, Before = second.PreviousCursor });
        Assert.Equal(first.Templates.Select(t => t.Id), back.Templates.Select(t => t.Id));

        await sandbox.Templates.ListAsync(waba, new TemplateQuery
        {
            Limit = 10, Category = TemplateCategory.Marketing, Content = "special offer", Language = "en", Name = "My Template",
            NameOrContent = "offer", QualityScore = TemplateQualityScore.Red, Status = TemplateStatus.Approved,
        });
        Assert.Equal(
            "?limit=10&category=MARKETING&content=special%20offer&language=en&name=My%20Template&name_or_content=offer&quality_score=RED&status=APPROVED",
            sandbox.Log.Last.Uri.Query);
        Assert.True(await sandbox.CountAsync($"GET {Templates}", 200) >= 4);
    }

    [Fact]
    public async Task MediaTemplate_UsesTheUploadHandle_AsItsHeaderExample()
    {
        var waba = NewWaba();
        await using var png = new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3, 4]);
        var upload = await sandbox.Media.UploadAsync(png, MediaFileType.ImagePng, "header.png");

        var created = await sandbox.Templates.CreateAsync(waba, new TemplateDefinition("media_header", "en", TemplateCategory.Marketing,
        [
            new TemplateComponent(ComponentType.Header, ComponentFormat.Image, Example: TemplateExample.ForHeaderHandle(upload.Handle)),
            new TemplateComponent(ComponentType.Body, ComponentFormat.Text, "Our new collection is here."),
        ]));

        var header = (await sandbox.Templates.GetAsync(waba, created.Id)).Components.Single(c => c.Type == ComponentType.Header);
        Assert.Equal(ComponentFormat.Image, header.Format);
        Assert.Equal([upload.Handle], header.Example?.HeaderHandle);
    }

    [Fact]
    public async Task Get_AnUnknownTemplate_ThrowsNotFound_WithInstanceId()
    {
        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Templates.GetAsync(NewWaba(), "999999999"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.Instance));
        Assert.StartsWith("https://developer.nexmo.com/api-errors/", error.Type, StringComparison.Ordinal);
    }
}
