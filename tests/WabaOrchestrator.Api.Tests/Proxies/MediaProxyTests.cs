using System.Net;
using static WabaOrchestrator.Api.Tests.Proxies.ProxyAssert;

namespace WabaOrchestrator.Api.Tests.Proxies;

/// <summary>A 4 KB upload limit, so "too big" needs no large body.</summary>
public sealed class SmallUploadStack : ProxyStack
{
    public const long Limit = 4096;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Proxies:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

public sealed class MediaProxyTests(SmallUploadStack stack) : IClassFixture<SmallUploadStack>
{
    [Fact]
    public async Task Upload_Png_ReturnsVonagesHandle()
    {
        var uploaded = await JsonAsync(await stack.Api.PostAsync("api/media/uploads?file_type=image/png", MediaUploads.Form(MediaUploads.Png)));

        Assert.False(string.IsNullOrEmpty(uploaded.GetProperty("h").GetString()));
    }

    [Fact]
    public async Task Upload_HandleFeedsAnImageTemplate()
    {
        var handle = (await JsonAsync(await stack.Api.PostAsync("api/media/uploads?file_type=image/png", MediaUploads.Form(MediaUploads.Png)))).GetProperty("h").GetString();

        var created = await stack.Api.PostAsync("api/wabas/5550001/templates", Json(new
        {
            name = "photo_offer",
            language = "en",
            category = "MARKETING",
            components = new object[]
            {
                new { type = "HEADER", format = "IMAGE", example = new { header_handle = new[] { handle } } },
                new { type = "BODY", text = "New arrivals are in." },
            },
        }));

        await JsonAsync(created);
    }

    [Theory]
    [InlineData("file_type=application/pdf")]
    [InlineData("file_type=")]
    [InlineData("")]
    public async Task Upload_UnsupportedOrMissingFileType_Is422WithoutCallingVonage(string query)
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PostAsync($"api/media/uploads?{query}", MediaUploads.Form(MediaUploads.Png)), HttpStatusCode.UnprocessableEntity, "file_type");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Upload_ContentNotOfTheDeclaredType_RelaysVonages422()
    {
        var problem = await ProblemAsync(await stack.Api.PostAsync("api/media/uploads?file_type=image/jpeg", MediaUploads.Form(MediaUploads.Png, "image/jpeg")), HttpStatusCode.UnprocessableEntity, "mediafile");

        Assert.Contains("messages-olympus", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_NotMultipart_Is422NamingMediafileWithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PostAsync("api/media/uploads?file_type=image/png", new ByteArrayContent(MediaUploads.Png)), HttpStatusCode.UnprocessableEntity, "mediafile");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Upload_WithoutMediafilePart_Is422WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PostAsync("api/media/uploads?file_type=image/png", MediaUploads.Form(MediaUploads.Png, partName: "file")), HttpStatusCode.UnprocessableEntity, "mediafile");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Upload_OverTheLimitWithContentLength_Is413WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();
        var file = new byte[SmallUploadStack.Limit + 70_000];
        MediaUploads.Png.CopyTo(file, 0);

        var problem = await ProblemAsync(await stack.Api.PostAsync("api/media/uploads?file_type=image/png", MediaUploads.Form(file)), HttpStatusCode.RequestEntityTooLarge, "mediafile");

        Assert.Contains("Proxies:MaxUploadBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task Upload_OverTheLimitChunked_Is413()
    {
        // No Content-Length: the limit can only be enforced while the bytes flow.
        var file = new StreamContent(new MediaUploads.Generated(MediaUploads.Png, SmallUploadStack.Limit + 1));

        await ProblemAsync(await stack.Api.PostAsync("api/media/uploads?file_type=image/png", MediaUploads.Form(file, "image/png")), HttpStatusCode.RequestEntityTooLarge, "mediafile");
    }

    [Fact]
    public async Task Upload_AtTheLimitChunked_ReachesVonage()
    {
        var file = new StreamContent(new MediaUploads.Generated(MediaUploads.Png, SmallUploadStack.Limit));

        await JsonAsync(await stack.Api.PostAsync("api/media/uploads?file_type=image/png", MediaUploads.Form(file, "image/png")));
    }
}
