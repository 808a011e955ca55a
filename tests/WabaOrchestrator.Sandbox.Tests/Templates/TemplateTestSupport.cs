using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests.Templates;

/// <summary>Calls of the template and media API, and the assertions the template tests share.</summary>
internal static class TemplateApi
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static string NewWaba() => "waba" + Guid.NewGuid().ToString("N")[..12];

    public static string Templates(string waba) => $"v2/whatsapp-manager/wabas/{waba}/templates";

    /// <summary>A valid UTILITY template with one placeholder in its body.</summary>
    public static JsonObject Valid(string name, string language = "en", string category = "UTILITY", string body = "Hello {{1}}, your order has shipped.") =>
        new()
        {
            ["name"] = name,
            ["language"] = language,
            ["category"] = category,
            ["components"] = new JsonArray(BodyComponent(body)),
        };

    public static JsonObject BodyComponent(string text) => text.Contains("{{1}}", StringComparison.Ordinal)
        ? new JsonObject { ["type"] = "BODY", ["text"] = text, ["example"] = new JsonObject { ["body_text"] = new JsonArray(new JsonArray("Ana")) } }
        : new JsonObject { ["type"] = "BODY", ["text"] = text };

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, string json) =>
        client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<string> CreateAsync(this HttpClient client, string waba, JsonObject template)
    {
        using var response = await client.PostJsonAsync(Templates(waba), template.ToJsonString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"create answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    public static async Task<JsonObject> GetTemplateAsync(this HttpClient client, string waba, string id)
    {
        using var response = await client.GetAsync($"{Templates(waba)}/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> ListAsync(this HttpClient client, string pathAndQuery)
    {
        using var response = await client.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"list answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static List<string> Names(JsonObject list) => list["templates"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();

    public static List<string> Ids(JsonObject list) => list["templates"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();

    /// <summary>Polls until the template leaves PENDING (the review delay is short in tests), then returns it.</summary>
    public static async Task<JsonObject> WaitForReviewAsync(this HttpClient client, string waba, string id)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var template = await client.GetTemplateAsync(waba, id);
            if (template["status"]!.GetValue<string>() != "PENDING" || DateTime.UtcNow > deadline)
            {
                return template;
            }

            await Task.Yield();
        }
    }

    /// <summary>Asserts a Template Management problem document and returns its invalid_parameters names.</summary>
    public static async Task<List<string>> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, params string[] expectedNames)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("https://developer.nexmo.com/api-errors/messages-olympus#" + code, problem["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(problem["instance_id"]?.GetValue<string>()));
        var names = problem["invalid_parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];
        foreach (var name in expectedNames)
        {
            Assert.True(names.Contains(name), $"invalid_parameters lacks '{name}': {body}");
        }

        return names;
    }

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string? fileType, byte[] content, string fileName = "file.bin", string partName = "mediafile")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, partName, fileName);
        var query = fileType is null ? "" : "?file_type=" + Uri.EscapeDataString(fileType);
        return await client.PostAsync("v2/whatsapp-manager/media/uploads" + query, form);
    }

    public static async Task<string> UploadHandleAsync(this HttpClient client, string fileType, byte[] content, string fileName)
    {
        using var response = await client.UploadAsync(fileType, content, fileName);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"upload answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["h"]!.GetValue<string>();
    }
}

/// <summary>Files whose leading bytes are those of real JPEG, PNG and MP4 files.</summary>
internal static class MediaSamples
{
    public static byte[] Jpeg(int length = 1024) => WithHead([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F'], length);

    public static byte[] Png(int length = 1024) => WithHead([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], length);

    public static byte[] Mp4(int length = 4096) => WithHead([0x00, 0x00, 0x00, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m'], length);

    private static byte[] WithHead(byte[] head, int length)
    {
        var bytes = new byte[length];
        head.CopyTo(bytes, 0);
        return bytes;
    }
}

/// <summary>Mints a fresh token per request, issued at the sandbox's (possibly manual) clock.</summary>
internal sealed class TokenHandler(TestApplication application, TimeProvider time) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", application.MintToken(time.GetUtcNow(), TimeSpan.FromHours(1)));
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// A test-local WebApplication hosting the sandbox the way an embedding host does, optionally under a
/// path prefix, with a manual clock or other settings.
/// </summary>
internal sealed class TemplateTestHost : IAsyncDisposable
{
    private TemplateTestHost(WebApplication app, Uri root, TestApplication application, TimeProvider time)
    {
        App = app;
        Root = root;
        Application = application;
        Client = new HttpClient(new TokenHandler(application, time)) { BaseAddress = root };
    }

    public WebApplication App { get; }

    /// <summary>The sandbox's root, prefix included, ending in '/'.</summary>
    public Uri Root { get; }

    public TestApplication Application { get; }

    public HttpClient Client { get; }

    public static async Task<TemplateTestHost> StartAsync(
        string? prefix = null, TimeProvider? time = null, TimeSpan? reviewDelay = null, IDictionary<string, string?>? settings = null)
    {
        var application = new TestApplication();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddVonageSandbox();
        builder.Services.PostConfigure<SandboxOptions>(options =>
        {
            options.StepDelay = TimeSpan.FromMilliseconds(20);
            options.TemplateReviewDelay = reviewDelay ?? TimeSpan.FromMilliseconds(50);
            options.Applications.Add(new SandboxApplication { ApplicationId = application.ApplicationId, PublicKey = application.PublicKeyPem });
        });
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var app = builder.Build();
        if (prefix is null)
        {
            app.MapVonageSandbox();
        }
        else
        {
            app.MapGroup(prefix).MapVonageSandbox();
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new TemplateTestHost(app, new Uri(address + (prefix ?? "") + "/"), application, time ?? TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Application.Dispose();
    }
}
