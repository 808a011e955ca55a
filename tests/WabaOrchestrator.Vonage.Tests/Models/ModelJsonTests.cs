using System.Text.Json;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Models;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Stickers;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Vonage.Tests.Models;

public sealed class ModelJsonTests
{
    [Fact]
    public void AStateVonageAddsLater_Deserialises_AndKeepsTheRawString()
    {
        var deployment = JsonSerializer.Deserialize<Deployment>("""
            {"deployment_id":"d","current_state":{"title":"MIGRATING","detail":"new"}}
            """, VonageJson.Options)!;

        Assert.Equal("MIGRATING", deployment.State!.Value.Value);
        Assert.False(deployment.State.Value.IsKnown());
        Assert.Contains("\"MIGRATING\"", JsonSerializer.Serialize(deployment, VonageJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSpecsTemplateExample_Deserialises_WithOpenEnumerations()
    {
        var page = JsonSerializer.Deserialize<TemplatePage>("""
            {"paging":{"cursors":{"before":"MAZDZD","after":"MjQZD"},"next":"https://api.nexmo.com/v2/whatsapp-manager/wabas/1/templates?after=MwZDZD","previous":"https://api.nexmo.com/v2/whatsapp-manager/wabas/1/templates?before=MgZDZD"},
             "templates":[{"id":"1045638762820500","name":"sample_issue_resolution","language":"en","status":"APPROVED","category":"UTILITY","previous_category":"MARKETING",
               "components":[{"type":"BODY","format":"TEXT","text":"Your parcel from {{1}} is due."},{"type":"CAROUSEL"}]}]}
            """, VonageJson.Options)!;

        var template = Assert.Single(page.Templates);
        Assert.Equal(TemplateStatus.Approved, template.Status);
        Assert.Equal(TemplateCategory.Marketing, template.PreviousCategory);
        Assert.Equal(ComponentType.From("CAROUSEL"), template.Components[1].Type);
        Assert.Equal("MjQZD", page.NextCursor);
        Assert.Equal("MAZDZD", page.PreviousCursor);
        Assert.StartsWith("https://api.nexmo.com/", page.Paging!.Next, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelsKeepSnakeCase_EvenWithAHostsCamelCaseOptions()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var json = JsonSerializer.Serialize(new Stickerpack("id", "n", "p", "https://a", "https://i"), web);

        Assert.Equal("""{"id":"id","name":"n","publisher":"p","android_app_store_link":"https://a","ios_app_store_link":"https://i"}""", json);
        Assert.Contains("\"vertical\":\"Beauty, Spa and Salon\"", JsonSerializer.Serialize(new BusinessProfile(Vertical: ProfileVertical.BeautySpaAndSalon), web), StringComparison.Ordinal);
    }

    [Fact]
    public void StickerEmojis_AsTheSpecsNestedArray_AreFlattened()
    {
        var stickers = JsonSerializer.Deserialize<StickerList>("""
            {"stickers":[{"id":"sticker-media-id","image_data_id":"img","emojis":[["🐥","😃"]]}]}
            """, VonageJson.Options)!;

        Assert.Equal(["🐥", "😃"], stickers.Stickers[0].Emojis);
    }

    [Fact]
    public void BodyTextExample_IsAnArrayHoldingOneArray()
    {
        var json = JsonSerializer.Serialize(TemplateExample.ForBody("Courier", "May 1st"), VonageJson.Options);

        Assert.Equal("""{"body_text":[["Courier","May 1st"]]}""", json);
    }

    [Fact]
    public void SecretsNeverAppear_WhenRequestsAreLogged()
    {
        var provision = new ProvisionDeploymentRequest("44", "7700900000", "SECRET-CERT", OtpMethod.Sms, "123", "654321").ToString();
        var verify = new VerifyOtpRequest("987123").ToString();

        Assert.DoesNotContain("SECRET-CERT", provision, StringComparison.Ordinal);
        Assert.DoesNotContain("654321", provision, StringComparison.Ordinal);
        Assert.Contains("7700900000", provision, StringComparison.Ordinal);
        Assert.DoesNotContain("987123", verify, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryDocumentedVertical_IsKnown()
    {
        Assert.Equal(17, ProfileVertical.Known.Count);
        Assert.True(StringValues.TryParseKnown<ProfileVertical>("Event Planning and Service", out var vertical));
        Assert.Equal(ProfileVertical.EventPlanningAndService, vertical);
    }
}
