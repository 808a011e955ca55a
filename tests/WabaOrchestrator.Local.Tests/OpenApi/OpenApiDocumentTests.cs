using System.Net;
using System.Text.Json;

namespace WabaOrchestrator.Local.Tests.OpenApi;

/// <summary>The OpenAPI document the local host serves, read as Swagger UI reads it.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private const string Webhook = "/api/webhooks/vonage/inbound-sms";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private TempLocalHost _host = null!;
    private HttpClient _client = null!;
    private string _text = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _host = await TempLocalHost.StartAsync();
        _client = await _host.CreateClientAsync();
        _text = await _client.GetStringAsync("openapi/v1.json");
        _document = JsonDocument.Parse(_text).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task FunctionKey_IsAnApiKeyHeaderScheme_ThatTheApiAccepts()
    {
        var (name, scheme) = Assert.Single(_document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(p => (p.Name, p.Value)));
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("x-functions-key", scheme.GetProperty("name").GetString());
        Assert.False(string.IsNullOrWhiteSpace(name));

        // What Swagger UI sends once authorized: the scheme's header with the key.
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/onboardings");
        request.Headers.Add(scheme.GetProperty("name").GetString()!, await _host.ApiKeyAsync());
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void EveryKeyedOperation_RequiresTheKey_AndDocuments401AsProblemJson_TheWebhookNeither()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Single().Name;
        var operations = Operations().ToList();
        Assert.True(operations.Count >= 25, $"only {operations.Count} operations");
        foreach (var (path, method, operation) in operations.Where(o => o.Path != Webhook))
        {
            var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
            Assert.True(requirement.TryGetProperty(scheme, out _), $"{method} {path} does not require {scheme}");
            var unauthorized = operation.GetProperty("responses").GetProperty("401");
            Assert.True(unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path}: 401 is not problem+json");
        }

        Assert.All(operations.Where(o => o.Path == Webhook), o => Assert.False(o.Operation.TryGetProperty("security", out _)));
    }

    [Fact]
    public void OnboardingView_TypesCustomStatusOutputAndTimeline()
    {
        var view = Schema("OnboardingView").GetProperty("properties");
        var status = Alternatives(view.GetProperty("customStatus"));
        Assert.Contains(status, s => s.TryGetProperty("properties", out var p) && p.TryGetProperty("stage", out _) && p.TryGetProperty("otp", out _) && !p.TryGetProperty("timeline", out _));
        var output = Alternatives(view.GetProperty("output"));
        Assert.Contains(output, s => s.TryGetProperty("properties", out var p) && p.TryGetProperty("state", out _) && p.TryGetProperty("timeline", out _) && p.TryGetProperty("warnings", out _));
        Assert.Contains(output, s => s.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "string");
        Assert.Contains(Alternatives(view.GetProperty("timeline")), s => s.TryGetProperty("properties", out var p) && p.TryGetProperty("entries", out _));
        Assert.False(_document.GetProperty("components").GetProperty("schemas").TryGetProperty("JsonElement", out _));

        var timeline = Resolve(Ok("/api/onboardings/{id}/timeline", "get")).GetProperty("properties").GetProperty("timeline");
        var entries = Resolve(Resolve(timeline).GetProperty("properties").GetProperty("entries").GetProperty("items")).GetProperty("properties");
        Assert.True(entries.TryGetProperty("kind", out _));
        Assert.True(entries.TryGetProperty("at", out _));
    }

    [Fact]
    public void TemplateCreationAndMediaUpload_DocumentTheirAnswersAndBodies()
    {
        Assert.True(Resolve(Ok("/api/wabas/{wabaId}/templates", "post")).GetProperty("properties").TryGetProperty("id", out _));
        Assert.True(Operation("/api/wabas/{wabaId}/templates", "post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(Operation("/api/wabas/{wabaId}/templates/{templateId}", "put").GetProperty("responses").TryGetProperty("204", out _));

        Assert.True(Resolve(Ok("/api/media/uploads", "post")).GetProperty("properties").TryGetProperty("h", out _));
        var file = Operation("/api/media/uploads", "post").GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data")
            .GetProperty("schema").GetProperty("properties").GetProperty("mediafile");
        Assert.Equal("binary", file.GetProperty("format").GetString());
    }

    [Fact]
    public void Text_HasNoHtmlEntities()
    {
        foreach (var entity in new[] { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#" })
        {
            Assert.DoesNotContain(entity, _text, StringComparison.Ordinal);
        }

        // The one summary that had one still says what it said.
        Assert.Contains("&hsm_id=", Operation("/api/wabas/{wabaId}/templates", "delete").GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        from path in _document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select (path.Name, method.Name, method.Value);

    private JsonElement Operation(string path, string method) => _document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private JsonElement Ok(string path, string method) =>
        Operation(path, method).GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");

    private JsonElement Schema(string id) => _document.GetProperty("components").GetProperty("schemas").GetProperty(id);

    private JsonElement Resolve(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? Schema(reference.GetString()!["#/components/schemas/".Length..]) : schema;

    /// <summary>The schemas a value may have: each of its oneOf, resolved; or itself.</summary>
    private List<JsonElement> Alternatives(JsonElement schema) =>
        schema.TryGetProperty("oneOf", out var oneOf) ? [.. oneOf.EnumerateArray().Select(Resolve)] : [Resolve(schema)];
}
