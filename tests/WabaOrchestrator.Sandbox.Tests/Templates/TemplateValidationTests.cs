using System.Net;
using System.Text.Json.Nodes;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests.Templates;

/// <summary>Meta's template rules: each broken rule is a 422 <c>1020</c> naming the offending field.</summary>
public sealed class TemplateValidationTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Body = """{"type":"BODY","text":"Hello {{1}}, welcome.","example":{"body_text":[["Ana"]]}}""";

    private static string WithComponents(params string[] components) =>
        $$"""{"name":"rule_check","language":"en","category":"UTILITY","components":[{{string.Join(",", components)}}]}""";

    private static string Button(string json) => $$"""{"type":"BUTTONS","buttons":[{{json}}]}""";

    public static TheoryData<string, string, string> BrokenRules => new()
    {
        { "name missing", """{"language":"en","category":"UTILITY","components":[""" + Body + "]}", "name" },
        { "name with capitals", """{"name":"Order_Update","language":"en","category":"UTILITY","components":[""" + Body + "]}", "name" },
        { "name with a dash", """{"name":"order-update","language":"en","category":"UTILITY","components":[""" + Body + "]}", "name" },
        { "name not a string", """{"name":42,"language":"en","category":"UTILITY","components":[""" + Body + "]}", "name" },
        { "language missing", """{"name":"x","category":"UTILITY","components":[""" + Body + "]}", "language" },
        { "language unsupported", """{"name":"x","language":"xx","category":"UTILITY","components":[""" + Body + "]}", "language" },
        { "language in the wrong case", """{"name":"x","language":"EN_us","category":"UTILITY","components":[""" + Body + "]}", "language" },
        { "category missing", """{"name":"x","language":"en","components":[""" + Body + "]}", "category" },
        { "category outside the enum", """{"name":"x","language":"en","category":"PROMOTION","components":[""" + Body + "]}", "category" },
        { "allow_category_change not a boolean", """{"name":"x","language":"en","category":"UTILITY","allow_category_change":"yes","components":[""" + Body + "]}", "allow_category_change" },
        { "components missing", """{"name":"x","language":"en","category":"UTILITY"}""", "components" },
        { "components not an array", """{"name":"x","language":"en","category":"UTILITY","components":{"type":"BODY"}}""", "components" },
        { "component not an object", WithComponents(Body, "\"FOOTER\""), "components[1]" },
        { "component type unknown", WithComponents(Body, """{"type":"CAROUSEL"}"""), "components[1].type" },
        { "no BODY", WithComponents("""{"type":"FOOTER","text":"Thanks"}"""), "components" },
        { "two BODY components", WithComponents(Body, """{"type":"BODY","text":"Again"}"""), "components[1].type" },
        { "two HEADER components", WithComponents("""{"type":"HEADER","format":"TEXT","text":"A"}""", """{"type":"HEADER","format":"TEXT","text":"B"}""", Body), "components[1].type" },
        { "two FOOTER components", WithComponents(Body, """{"type":"FOOTER","text":"A"}""", """{"type":"FOOTER","text":"B"}"""), "components[2].type" },
        { "two BUTTONS components", WithComponents(Body, Button("""{"type":"QUICK_REPLY","text":"A"}"""), Button("""{"type":"QUICK_REPLY","text":"B"}""")), "components[2].type" },
        { "body text missing", WithComponents("""{"type":"BODY"}"""), "components[0].text" },
        { "body text over 1024 characters", WithComponents($$"""{"type":"BODY","text":"{{new string('a', 1025)}}"}"""), "components[0].text" },
        { "body format not TEXT", WithComponents("""{"type":"BODY","format":"IMAGE","text":"Hello"}"""), "components[0].format" },
        { "placeholders with a gap", WithComponents("""{"type":"BODY","text":"Hi {{1}} and {{3}} there","example":{"body_text":[["a","b"]]}}"""), "components[0].text" },
        { "placeholders not starting at 1", WithComponents("""{"type":"BODY","text":"Hi {{2}} there","example":{"body_text":[["a"]]}}"""), "components[0].text" },
        { "malformed placeholder", WithComponents("""{"type":"BODY","text":"Hi {{name}} there"}"""), "components[0].text" },
        { "placeholder at the very start", WithComponents("""{"type":"BODY","text":"{{1}} is your code","example":{"body_text":[["a"]]}}"""), "components[0].text" },
        { "placeholder at the very end", WithComponents("""{"type":"BODY","text":"Your code is {{1}}","example":{"body_text":[["a"]]}}"""), "components[0].text" },
        { "placeholders without example", WithComponents("""{"type":"BODY","text":"Hi {{1}} there"}"""), "components[0].example" },
        { "example without body_text", WithComponents("""{"type":"BODY","text":"Hi {{1}} there","example":{}}"""), "components[0].example.body_text" },
        { "body_text as a string (the spec's slip)", WithComponents("""{"type":"BODY","text":"Hi {{1}} there","example":{"body_text":"[['a']]"}}"""), "components[0].example.body_text" },
        { "body_text as a flat array", WithComponents("""{"type":"BODY","text":"Hi {{1}} there","example":{"body_text":["a"]}}"""), "components[0].example.body_text" },
        { "body_text with too few values", WithComponents("""{"type":"BODY","text":"Hi {{1}} and {{2}} there","example":{"body_text":[["a"]]}}"""), "components[0].example.body_text[0]" },
        { "body_text value not a string", WithComponents("""{"type":"BODY","text":"Hi {{1}} there","example":{"body_text":[[7]]}}"""), "components[0].example.body_text[0][0]" },
        { "header format missing", WithComponents("""{"type":"HEADER","text":"Hi"}""", Body), "components[0].format" },
        { "header format unknown", WithComponents("""{"type":"HEADER","format":"AUDIO"}""", Body), "components[0].format" },
        { "header text missing", WithComponents("""{"type":"HEADER","format":"TEXT"}""", Body), "components[0].text" },
        { "header text over 60 characters", WithComponents($$"""{"type":"HEADER","format":"TEXT","text":"{{new string('h', 61)}}"}""", Body), "components[0].text" },
        { "header text with two placeholders", WithComponents("""{"type":"HEADER","format":"TEXT","text":"{{1}} {{2}}","example":{"header_text":["a"]}}""", Body), "components[0].text" },
        { "header placeholder without header_text", WithComponents("""{"type":"HEADER","format":"TEXT","text":"Hi {{1}}","example":{}}""", Body), "components[0].example.header_text" },
        { "media header without example", WithComponents("""{"type":"HEADER","format":"IMAGE"}""", Body), "components[0].example" },
        { "media header without handle", WithComponents("""{"type":"HEADER","format":"VIDEO","example":{}}""", Body), "components[0].example.header_handle" },
        { "media header with a handle never uploaded", WithComponents("""{"type":"HEADER","format":"IMAGE","example":{"header_handle":[":Zm9vLnBuZw==:image/png:abc:e:4102444800:def"]}}""", Body), "components[0].example.header_handle[0]" },
        { "document header with a malformed handle", WithComponents("""{"type":"HEADER","format":"DOCUMENT","example":{"header_handle":["not-a-handle"]}}""", Body), "components[0].example.header_handle[0]" },
        { "footer text missing", WithComponents(Body, """{"type":"FOOTER"}"""), "components[1].text" },
        { "footer text over 60 characters", WithComponents(Body, $$"""{"type":"FOOTER","text":"{{new string('f', 61)}}"}"""), "components[1].text" },
        { "footer with a placeholder", WithComponents(Body, """{"type":"FOOTER","text":"Bye {{1}} now"}"""), "components[1].text" },
        { "buttons outside a BUTTONS component", WithComponents("""{"type":"BODY","text":"Hello","buttons":[{"type":"QUICK_REPLY","text":"Yes"}]}"""), "components[0].buttons" },
        { "BUTTONS without buttons", WithComponents(Body, """{"type":"BUTTONS"}"""), "components[1].buttons" },
        { "BUTTONS with no button", WithComponents(Body, """{"type":"BUTTONS","buttons":[]}"""), "components[1].buttons" },
        { "more than 10 buttons", WithComponents(Body, $$"""{"type":"BUTTONS","buttons":[{{string.Join(",", Enumerable.Range(1, 11).Select(i => $$"""{"type":"QUICK_REPLY","text":"Option {{i}}"}"""))}}]}"""), "components[1].buttons" },
        { "button not an object", WithComponents(Body, Button("\"Yes\"")), "components[1].buttons[0]" },
        { "button type unknown", WithComponents(Body, Button("""{"type":"COPY_CODE","text":"Copy"}""")), "components[1].buttons[0].type" },
        { "button text missing", WithComponents(Body, Button("""{"type":"QUICK_REPLY"}""")), "components[1].buttons[0].text" },
        { "quick reply text over 25 characters", WithComponents(Body, Button("""{"type":"QUICK_REPLY","text":"This answer is far too long"}""")), "components[1].buttons[0].text" },
        { "URL button without url", WithComponents(Body, Button("""{"type":"URL","text":"Open"}""")), "components[1].buttons[0].url" },
        { "URL button with a non-http url", WithComponents(Body, Button("""{"type":"URL","text":"Open","url":"ftp://example.com/x"}""")), "components[1].buttons[0].url" },
        { "URL button with a relative url", WithComponents(Body, Button("""{"type":"URL","text":"Open","url":"/offers"}""")), "components[1].buttons[0].url" },
        { "phone button without phone_number", WithComponents(Body, Button("""{"type":"PHONE_NUMBER","text":"Call"}""")), "components[1].buttons[0].phone_number" },
        { "phone button with letters", WithComponents(Body, Button("""{"type":"PHONE_NUMBER","text":"Call","phone_number":"call-me"}""")), "components[1].buttons[0].phone_number" },
        { "three URL buttons", WithComponents(Body, """{"type":"BUTTONS","buttons":[{"type":"URL","text":"A","url":"https://a.example"},{"type":"URL","text":"B","url":"https://b.example"},{"type":"URL","text":"C","url":"https://c.example"}]}"""), "components[1].buttons" },
        { "two phone buttons", WithComponents(Body, """{"type":"BUTTONS","buttons":[{"type":"PHONE_NUMBER","text":"A","phone_number":"+14155550100"},{"type":"PHONE_NUMBER","text":"B","phone_number":"+14155550101"}]}"""), "components[1].buttons" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task Create_BreakingARule_Is422NamingTheField(string rule, string body, string field)
    {
        using var response = await fixture.Client.PostJsonAsync(TemplateApi.Templates(TemplateApi.NewWaba()), body);
        var names = await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", field);
        Assert.True(names.Count > 0, rule);
    }

    [Fact]
    public async Task Create_WithNameOf513Characters_Is422NamingName()
    {
        using var response = await fixture.Client.PostJsonAsync(TemplateApi.Templates(TemplateApi.NewWaba()), TemplateApi.Valid(new string('a', 513)).ToJsonString());
        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "name");
    }

    [Fact]
    public async Task Create_AtEveryLimit_IsAccepted()
    {
        var template = new JsonObject
        {
            ["name"] = new string('a', 512),
            ["language"] = "pt_BR",
            ["category"] = "marketing",
            ["allow_category_change"] = true,
            ["components"] = new JsonArray(
                new JsonObject { ["type"] = "HEADER", ["format"] = "TEXT", ["text"] = "Hi {{1}}" + new string('h', 52), ["example"] = new JsonObject { ["header_text"] = new JsonArray("Ana") } },
                new JsonObject
                {
                    ["type"] = "BODY",
                    ["text"] = "A {{1}} b {{2}} c {{1}} " + new string('b', 1000),
                    ["example"] = new JsonObject { ["body_text"] = new JsonArray(new JsonArray("x", "y")) },
                },
                new JsonObject { ["type"] = "FOOTER", ["text"] = new string('f', 60) },
                new JsonObject
                {
                    ["type"] = "BUTTONS",
                    ["buttons"] = new JsonArray(
                        [
                            new JsonObject { ["type"] = "URL", ["text"] = "A", ["url"] = "https://a.example/x" },
                            new JsonObject { ["type"] = "URL", ["text"] = "B", ["url"] = "http://b.example" },
                            new JsonObject { ["type"] = "PHONE_NUMBER", ["text"] = "Call", ["phone_number"] = "+14155550100" },
                            .. Enumerable.Range(1, 7).Select(i => new JsonObject { ["type"] = "QUICK_REPLY", ["text"] = new string('q', 24) + i }),
                        ]),
                }),
        };
        var waba = TemplateApi.NewWaba();

        var id = await fixture.Client.CreateAsync(waba, template);

        var created = await fixture.Client.GetTemplateAsync(waba, id);
        Assert.Equal("MARKETING", created["category"]!.GetValue<string>());
        Assert.Equal(4, created["components"]!.AsArray().Count);
        Assert.Equal(10, created["components"]![3]!["buttons"]!.AsArray().Count);
    }

    [Fact]
    public async Task Create_WithSeveralMistakes_ReportsEveryOne()
    {
        var body = """{"name":"Bad Name","language":"klingon","category":"SPAM","components":[{"type":"BODY","text":"{{1}} only"},{"type":"FOOTER","text":"Bye {{1}} now"}]}""";

        using var response = await fixture.Client.PostJsonAsync(TemplateApi.Templates(TemplateApi.NewWaba()), body);

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020",
            "name", "language", "category", "components[0].text", "components[1].text");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    public async Task Create_WithBodyThatIsNotAJsonObject_Is400(string body)
    {
        using var response = await fixture.Client.PostJsonAsync(TemplateApi.Templates(TemplateApi.NewWaba()), body);
        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "1020");
    }
}
