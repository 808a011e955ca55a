using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Stickers;
using WabaOrchestrator.Vonage.Templates;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Validation;

/// <summary>Bad input fails fast with the field's name, and nothing reaches the sandbox.</summary>
public sealed class ClientValidationTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly TemplateComponent Body = new(ComponentType.Body, ComponentFormat.Text, "Hello there.");

    private static TemplateDefinition Template(params TemplateComponent[] components) => new("valid_name", "en", TemplateCategory.Utility, components);

    public static TheoryData<string, Func<SandboxFixture, Task>> Cases => new()
    {
        { "deployment_id", s => s.Deployments.GetAsync("") },
        { "deployment_id", s => s.Deployments.GetAsync("../admin") },
        { "deployment_id", s => s.Deployments.DeleteAsync("a/b") },
        { "deployment_id", s => s.Deployments.VerifyOtpAsync("a?b", "123456") },
        { "code", s => s.Deployments.VerifyOtpAsync("id", "12a456") },
        { "code", s => s.Deployments.VerifyOtpAsync("id", "") },
        { "method", s => s.Deployments.ResendOtpAsync("id", OtpMethod.From("email")) },
        { "number", s => s.Deployments.ProvisionAsync(new ProvisionDeploymentRequest("44", "", "cert", OtpMethod.Sms, "123")) },
        { "country_code", s => s.Deployments.ProvisionAsync(new ProvisionDeploymentRequest("+44", "7700900000", "cert", OtpMethod.Sms, "123")) },
        { "vname_certificate", s => s.Deployments.ProvisionAsync(new ProvisionDeploymentRequest("44", "7700900000", " ", OtpMethod.Sms, "123")) },
        { "method", s => s.Deployments.ProvisionAsync(new ProvisionDeploymentRequest("44", "7700900000", "cert", OtpMethod.From("fax"), "123")) },
        { "waba_id", s => s.Deployments.ProvisionAsync(new ProvisionDeploymentRequest("44", "7700900000", "cert", OtpMethod.Sms, "")) },
        { "pin", s => s.Deployments.ProvisionAsync(new ProvisionDeploymentRequest("44", "7700900000", "cert", OtpMethod.Sms, "123", "12")) },
        { "about", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(About: new string('a', 140))) },
        { "about", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(About: "")) },
        { "address", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(Address: new string('a', 257))) },
        { "description", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(Description: new string('a', 257))) },
        { "email", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(Email: "not-an-email")) },
        { "email", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(Email: new string('a', 120) + "@example.com")) },
        { "vertical", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(Vertical: ProfileVertical.From("Spaceships"))) },
        { "websites", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(Websites: ["https://a.example", "https://b.example", "https://c.example"])) },
        { "websites[0]", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(Websites: ["ftp://a.example"])) },
        { "websites[1]", s => s.Profile.UpdateProfileAsync("id", new BusinessProfile(Websites: ["https://a.example", "https://" + new string('a', 250) + ".com"])) },
        { "image_url", s => s.Profile.UpdatePhotoAsync("id", "file:///etc/passwd") },
        { "stickerpack_id", s => s.Stickers.GetStickerpackAsync("id", "") },
        { "sticker_index", s => s.Stickers.DeleteStickerAsync("id", "pack", "#1") },
        { "publisher", s => s.Stickers.CreateStickerpackAsync("id", new CreateStickerpackRequest("", "name")) },
        { "image_data_id", s => s.Stickers.CreateStickerAsync("id", "pack", new CreateStickerRequest("")) },
        { "waba_id", s => s.Templates.ListAsync(" ") },
        { "limit", s => s.Templates.ListAsync("1", new TemplateQuery { Limit = 0 }) },
        { "limit", s => s.Templates.ListAsync("1", new TemplateQuery { Limit = 501 }) },
        { "template_id", s => s.Templates.GetAsync("1", "") },
        { "name", s => s.Templates.DeleteAsync("1", "") },
        { "name", s => s.Templates.CreateAsync("1", Template(Body) with { Name = "Has Capitals" }) },
        { "language", s => s.Templates.CreateAsync("1", Template(Body) with { Language = "" }) },
        { "category", s => s.Templates.CreateAsync("1", Template(Body) with { Category = TemplateCategory.From("TRANSACTIONAL") }) },
        { "components", s => s.Templates.CreateAsync("1", Template()) },
        { "components", s => s.Templates.CreateAsync("1", Template(new TemplateComponent(ComponentType.Footer, Text: "f"))) },
        { "components", s => s.Templates.CreateAsync("1", Template(Body, Body)) },
        { "components[0].text", s => s.Templates.CreateAsync("1", Template(Body with { Text = new string('a', 1025) })) },
        { "components[0].text", s => s.Templates.CreateAsync("1", Template(Body with { Text = "{{1}} starts the text", Example = TemplateExample.ForBody("x") })) },
        { "components[0].text", s => s.Templates.CreateAsync("1", Template(Body with { Text = "The text ends with {{1}}", Example = TemplateExample.ForBody("x") })) },
        { "components[0].text", s => s.Templates.CreateAsync("1", Template(Body with { Text = "Gap {{1}} and {{3}} here.", Example = TemplateExample.ForBody("x", "y") })) },
        { "components[0].example.body_text", s => s.Templates.CreateAsync("1", Template(Body with { Text = "Hi {{1}} and {{2}} there." , Example = TemplateExample.ForBody("x") })) },
        { "components[0].example.body_text", s => s.Templates.CreateAsync("1", Template(Body with { Text = "Hi {{1}} there." })) },
        { "components[0].text", s => s.Templates.CreateAsync("1", Template(new TemplateComponent(ComponentType.Header, ComponentFormat.Text, new string('h', 61)), Body)) },
        { "components[0].example.header_handle", s => s.Templates.CreateAsync("1", Template(new TemplateComponent(ComponentType.Header, ComponentFormat.Video), Body)) },
        { "components[0].format", s => s.Templates.CreateAsync("1", Template(new TemplateComponent(ComponentType.Header, ComponentFormat.From("AUDIO")), Body)) },
        { "components[1].text", s => s.Templates.CreateAsync("1", Template(Body, new TemplateComponent(ComponentType.Footer, ComponentFormat.Text, new string('f', 61)))) },
        { "components", s => s.Templates.CreateAsync("1", Template(Body, new TemplateComponent(ComponentType.Footer, Text: "a"), new TemplateComponent(ComponentType.Footer, Text: "b"))) },
        { "components[1].buttons[0].text", s => s.Templates.CreateAsync("1", Template(Body, Buttons(new TemplateButton(ButtonType.QuickReply, new string('b', 26))))) },
        { "components[1].buttons[0].url", s => s.Templates.CreateAsync("1", Template(Body, Buttons(new TemplateButton(ButtonType.Url, "Go")))) },
        { "components[1].buttons[0].phone_number", s => s.Templates.CreateAsync("1", Template(Body, Buttons(new TemplateButton(ButtonType.PhoneNumber, "Call")))) },
        { "components", s => s.Templates.CreateAsync("1", Template(Body, Buttons([.. Enumerable.Range(0, 11).Select(i => new TemplateButton(ButtonType.QuickReply, $"b{i}"))]))) },
        { "components", s => s.Templates.CreateAsync("1", Template(Body, Buttons([.. Enumerable.Range(0, 3).Select(i => new TemplateButton(ButtonType.Url, $"u{i}", Url: "https://example.com"))]))) },
        { "components", s => s.Templates.CreateAsync("1", Template(Body, Buttons([.. Enumerable.Range(0, 2).Select(i => new TemplateButton(ButtonType.PhoneNumber, $"p{i}", PhoneNumber: "8001111111"))]))) },
        { "template_id", s => s.Templates.UpdateAsync("1", "a/b", Template(Body)) },
        { "file_type", s => s.Media.UploadAsync(new MemoryStream([1]), MediaFileType.From("image/gif"), "a.gif") },
        { "file_name", s => s.Media.UploadAsync(new MemoryStream([1]), MediaFileType.ImagePng, "") },
    };

    private static TemplateComponent Buttons(params TemplateButton[] buttons) => new(ComponentType.Buttons, Buttons: buttons);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_ThrowsArgumentException_NamingTheField_BeforeAnyRequest(string field, Func<SandboxFixture, Task> call)
    {
        var before = sandbox.Log.Requests.Count;
        var sandboxTotal = await sandbox.TotalApiRequestsAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => call(sandbox));

        Assert.Equal(field, error.ParamName);
        Assert.Equal(before, sandbox.Log.Requests.Count);
        Assert.Equal(sandboxTotal, await sandbox.TotalApiRequestsAsync());
    }
}
