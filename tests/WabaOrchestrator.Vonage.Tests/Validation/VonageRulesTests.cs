using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Templates;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Vonage.Tests.Validation;

public sealed class VonageRulesTests
{
    [Fact]
    public void Profile_ReportsEveryProblem_WithJsonFieldNames_ForA422()
    {
        var problems = VonageRules.Profile(new BusinessProfile(About: new string('a', 140), Email: "nope", Websites: ["x"]), prefix: "profile.");

        Assert.Equal(["profile.about", "profile.email", "profile.websites[0]"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason)));
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200E\u200F")]
    [InlineData(" \uFEFF\u2060 ")]
    [InlineData("\u0000")]
    public void Required_NothingVisible_IsMissing(string invisible) =>
        Assert.Equal("Is required.", Assert.Single(VonageRules.Required("name", invisible)).Reason);

    [Fact]
    public void Required_AnEmojiWithJoiners_IsPresent() =>
        Assert.Empty(VonageRules.Required("name", "👨\u200D👩\u200D👧"));

    [Theory]
    [InlineData("a\u202E@example.com")]
    [InlineData("you\u200B@example.com")]
    public void Profile_EmailWithInvisibleCharacters_IsNotAnEmail(string email) =>
        Assert.Equal(["email"], VonageRules.Profile(new BusinessProfile(Email: email)).Select(p => p.Field));

    [Fact]
    public void AValidProfile_AtTheLimits_HasNoProblems()
    {
        var profile = new BusinessProfile(new string('a', 139), new string('b', 256), new string('c', 256), "you@example.com", ProfileVertical.NonProfit, ["https://example.com", "http://example.org/about"]);

        Assert.Empty(VonageRules.Profile(profile));
    }

    [Fact]
    public void AFullTemplate_WithMediaHeaderAndEveryButtonKind_HasNoProblems()
    {
        var template = new TemplateDefinition("order_update_2", "en_US", TemplateCategory.Marketing,
        [
            new TemplateComponent(ComponentType.Header, ComponentFormat.Document, Example: TemplateExample.ForHeaderHandle("4::aGVsbG8=")),
            new TemplateComponent(ComponentType.Body, ComponentFormat.Text, "Hi {{1}}, your order {{2}} ships {{1}} today.", TemplateExample.ForBody("Ann", "A-1")),
            new TemplateComponent(ComponentType.Footer, ComponentFormat.Text, new string('f', 60)),
            new TemplateComponent(ComponentType.Buttons, Buttons:
            [
                new TemplateButton(ButtonType.Url, "Track", Url: "https://example.com/1"),
                new TemplateButton(ButtonType.Url, "Help", Url: "https://example.com/2"),
                new TemplateButton(ButtonType.PhoneNumber, "Call", PhoneNumber: "+448001111111"),
                .. Enumerable.Range(0, 7).Select(i => new TemplateButton(ButtonType.QuickReply, new string('q', 25))),
            ]),
        ]);

        Assert.Empty(VonageRules.Template(template));
    }

    [Fact]
    public void Template_WithNullComponentsOrButtons_NamesThem_InsteadOfThrowing()
    {
        // What JSON's "components":[null] and "buttons":[null] deserialize to.
        var template = new TemplateDefinition("corpus", "en", TemplateCategory.Utility,
        [
            null!,
            new TemplateComponent(ComponentType.Body, Text: "Hello"),
            new TemplateComponent(ComponentType.Buttons, Buttons: [null!, new TemplateButton(ButtonType.QuickReply, "Ok")]),
        ]);

        var problems = VonageRules.Template(template);

        Assert.Equal(["components[0]", "components[2].buttons[0]"], problems.Select(p => p.Field));
    }

    [Fact]
    public void Ensure_ThrowsWithTheFirstFieldAsParamName_AndEveryProblemInTheMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => VonageRules.Ensure([new("a", "first"), new("b", "second")]));

        Assert.Equal("a", error.ParamName);
        Assert.Contains("b: second", error.Message, StringComparison.Ordinal);
    }
}
