using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests.Templates;

/// <summary>Media upload (<c>POST /v2/whatsapp-manager/media/uploads</c>) and media templates built on its handles.</summary>
public sealed class MediaUploadTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string UploadPath = "v2/whatsapp-manager/media/uploads";

    private HttpClient Client => fixture.Client;

    public static TheoryData<string, byte[]> Supported => new()
    {
        { "image/jpeg", MediaSamples.Jpeg() },
        { "image/jpg", MediaSamples.Jpeg() },
        { "image/png", MediaSamples.Png() },
        { "video/mp4", MediaSamples.Mp4() },
    };

    [Theory]
    [MemberData(nameof(Supported))]
    public async Task Upload_SupportedFile_ReturnsAHandleInTheDocumentedStyle(string fileType, byte[] content)
    {
        var handle = await Client.UploadHandleAsync(fileType, content, "summer sale.bin");

        var match = Regex.Match(handle, "^:(?<name>[A-Za-z0-9+/=]+):(?<type>[a-z0-9/]+):[A-Za-z0-9_-]{36}:e:(?<expiry>[0-9]+):[A-Za-z0-9_-]{19}$");
        Assert.True(match.Success, handle);
        Assert.Equal("summer sale.bin", Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups["name"].Value)));
        Assert.Equal(fileType, match.Groups["type"].Value);
        Assert.True(DateTimeOffset.FromUnixTimeSeconds(long.Parse(match.Groups["expiry"].Value)) > DateTimeOffset.UtcNow.AddDays(29));
    }

    [Fact]
    public async Task Upload_TwiceTheSameFile_GivesDistinctHandles()
    {
        var first = await Client.UploadHandleAsync("image/png", MediaSamples.Png(), "a.png");
        var second = await Client.UploadHandleAsync("image/png", MediaSamples.Png(), "a.png");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Upload_WithoutFileType_Is422NamingFileType()
    {
        using var response = await Client.UploadAsync(null, MediaSamples.Png());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "file_type");
    }

    [Theory]
    [InlineData("image/gif")]
    [InlineData("application/pdf")]
    [InlineData("video/quicktime")]
    [InlineData("png")]
    public async Task Upload_WithUnsupportedFileType_Is422NamingFileType(string fileType)
    {
        using var response = await Client.UploadAsync(fileType, MediaSamples.Png());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "file_type");
    }

    [Theory]
    [InlineData("image/jpeg", "png")]
    [InlineData("image/png", "jpeg")]
    [InlineData("video/mp4", "png")]
    [InlineData("image/png", "text")]
    public async Task Upload_WhoseBytesDoNotMatchTheFileType_Is422NamingMediafile(string fileType, string actual)
    {
        var content = actual switch
        {
            "png" => MediaSamples.Png(),
            "jpeg" => MediaSamples.Jpeg(),
            _ => Encoding.UTF8.GetBytes("just some text, not an image"),
        };

        using var response = await Client.UploadAsync(fileType, content);

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "mediafile");
    }

    [Fact]
    public async Task Upload_NotMultipart_Is422NamingMediafile()
    {
        using var response = await Client.PostAsync($"{UploadPath}?file_type=image/png", new ByteArrayContent(MediaSamples.Png()));

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "mediafile");
    }

    [Fact]
    public async Task Upload_WithoutAMediafilePart_Is422NamingMediafile()
    {
        using var response = await Client.UploadAsync("image/png", MediaSamples.Png(), partName: "file");

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "mediafile");
    }

    [Fact]
    public async Task Upload_OfAnEmptyFile_Is422NamingMediafile()
    {
        using var response = await Client.UploadAsync("image/png", []);

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "mediafile");
    }

    [Fact]
    public async Task Upload_WithAMalformedMultipartBody_Is422NamingMediafile()
    {
        var content = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"mediafile\"\r\n\r\n\x89PNG truncated", Encoding.Latin1);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("multipart/form-data") { Parameters = { new("boundary", "xyz") } };

        using var response = await Client.PostAsync($"{UploadPath}?file_type=image/png", content);

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "mediafile");
    }

    [Fact]
    public async Task Upload_WithOtherFormFieldsBeforeTheFile_IsAccepted()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("my logo"), "caption" },
            { new ByteArrayContent(MediaSamples.Png()), "mediafile", "logo.png" },
        };

        using var response = await Client.PostAsync($"{UploadPath}?file_type=image/png", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("image/png", 5 * 1024 * 1024)]
    [InlineData("video/mp4", 16 * 1024 * 1024)]
    public async Task Upload_AtTheSizeLimit_IsAccepted(string fileType, int size)
    {
        var content = fileType == "video/mp4" ? MediaSamples.Mp4(size) : MediaSamples.Png(size);

        await Client.UploadHandleAsync(fileType, content, "big.bin");
    }

    [Theory]
    [InlineData("image/jpeg", 5 * 1024 * 1024 + 1)]
    [InlineData("image/png", 9 * 1024 * 1024)]
    [InlineData("video/mp4", 16 * 1024 * 1024 + 1)]
    public async Task Upload_OverTheSizeLimit_Is413NamingMediafile(string fileType, int size)
    {
        var content = fileType switch
        {
            "video/mp4" => MediaSamples.Mp4(size),
            "image/png" => MediaSamples.Png(size),
            _ => MediaSamples.Jpeg(size),
        };

        using var response = await Client.UploadAsync(fileType, content);

        await TemplateApi.AssertProblemAsync(response, (HttpStatusCode)413, "1020", "mediafile");
    }

    [Theory]
    [InlineData("IMAGE", "image/png")]
    [InlineData("IMAGE", "image/jpeg")]
    [InlineData("VIDEO", "video/mp4")]
    public async Task MediaTemplate_WithAnUploadedHandle_IsCreatedAndApproved(string format, string fileType)
    {
        var content = fileType switch { "video/mp4" => MediaSamples.Mp4(), "image/png" => MediaSamples.Png(), _ => MediaSamples.Jpeg() };
        var handle = await Client.UploadHandleAsync(fileType, content, "header.bin");
        var waba = TemplateApi.NewWaba();

        var id = await Client.CreateAsync(waba, TemplateHostingTests.MediaTemplate("media_header", format, handle));

        var reviewed = await Client.WaitForReviewAsync(waba, id);
        Assert.Equal("APPROVED", reviewed["status"]!.GetValue<string>());
        var header = reviewed["components"]![0]!;
        Assert.Equal("HEADER", header["type"]!.GetValue<string>());
        Assert.Equal(format, header["format"]!.GetValue<string>());
        Assert.Equal(handle, header["example"]!["header_handle"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("VIDEO", "image/png")]
    [InlineData("IMAGE", "video/mp4")]
    [InlineData("DOCUMENT", "image/png")]
    public async Task MediaTemplate_WithAHandleOfTheWrongKind_Is422NamingTheHandle(string format, string fileType)
    {
        var handle = await Client.UploadHandleAsync(fileType, fileType == "video/mp4" ? MediaSamples.Mp4() : MediaSamples.Png(), "wrong.bin");

        using var response = await Client.PostJsonAsync(TemplateApi.Templates(TemplateApi.NewWaba()), TemplateHostingTests.MediaTemplate("wrong_kind", format, handle).ToJsonString());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "components[0].example.header_handle[0]");
    }

    [Fact]
    public async Task MediaTemplate_WithADocumentHandle_IsAccepted()
    {
        // Vonage's upload takes no PDFs, so DOCUMENT handles come from elsewhere and are checked for shape, kind and expiry.
        var handle = ":ZmFjdHVyYS5wZGY=:application/pdf:GKAj0gAUCZmJ1voFADip2iIAAAAAbugbAAAA:e:4102444800:ARZ_3ybzrQqEaluMUdI";

        var id = await Client.CreateAsync(TemplateApi.NewWaba(), TemplateHostingTests.MediaTemplate("invoice", "DOCUMENT", handle));

        Assert.NotEmpty(id);
    }

    [Fact]
    public async Task MediaTemplate_WithAnExpiredHandle_Is422NamingTheHandle()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TemplateTestHost.StartAsync(time: clock, settings: new Dictionary<string, string?> { ["Sandbox:Media:HandleLifetime"] = "00:10:00" });
        var handle = await host.Client.UploadHandleAsync("image/png", MediaSamples.Png(), "soon-stale.png");
        var waba = TemplateApi.NewWaba();
        await host.Client.CreateAsync(waba, TemplateHostingTests.MediaTemplate("fresh_handle", "IMAGE", handle));

        clock.Advance(TimeSpan.FromMinutes(10));
        using var response = await host.Client.PostJsonAsync(TemplateApi.Templates(waba), TemplateHostingTests.MediaTemplate("stale_handle", "IMAGE", handle).ToJsonString());

        await TemplateApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "1020", "components[0].example.header_handle[0]");
    }

    [Fact]
    public async Task Upload_ManyHandles_ForgetsTheOldestPastTheCap()
    {
        await using var host = await TemplateTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sandbox:Media:MaxHandles"] = "2" });
        var oldest = await host.Client.UploadHandleAsync("image/png", MediaSamples.Png(), "1.png");
        var middle = await host.Client.UploadHandleAsync("image/png", MediaSamples.Png(), "2.png");
        await host.Client.UploadHandleAsync("image/png", MediaSamples.Png(), "3.png");
        var waba = TemplateApi.NewWaba();

        using var forgotten = await host.Client.PostJsonAsync(TemplateApi.Templates(waba), TemplateHostingTests.MediaTemplate("oldest", "IMAGE", oldest).ToJsonString());

        await TemplateApi.AssertProblemAsync(forgotten, HttpStatusCode.UnprocessableEntity, "1020", "components[0].example.header_handle[0]");
        await host.Client.CreateAsync(waba, TemplateHostingTests.MediaTemplate("middle", "IMAGE", middle));
    }

    [Fact]
    public async Task Upload_ManyInParallel_AllSucceedWithDistinctHandles()
    {
        var handles = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Client.UploadHandleAsync("image/jpeg", MediaSamples.Jpeg(64 * 1024), $"{i}.jpg")));

        Assert.Equal(40, handles.Distinct().Count());
    }
}
