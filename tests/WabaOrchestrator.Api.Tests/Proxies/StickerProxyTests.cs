using System.Net;
using static WabaOrchestrator.Api.Tests.Proxies.ProxyAssert;

namespace WabaOrchestrator.Api.Tests.Proxies;

public sealed class StickerProxyTests(ProxyStack stack) : IClassFixture<ProxyStack>
{
    [Fact]
    public async Task Stickerpacks_CreateGetAddListGetDelete_RoundTripThroughVonage()
    {
        var id = await stack.ReadyDeploymentAsync();
        var packs = $"api/deployments/{id}/stickerpacks";

        var created = await JsonAsync(await stack.Api.PostAsync(packs, Json(new { publisher = "Acme", name = "Birds", ios_app_store_link = "https://itunes.apple.com/app/id3133333" })));
        var sid = created.GetProperty("stickerpacks")[0].GetProperty("id").GetString();
        var listed = await JsonAsync(await stack.Api.GetAsync(packs));
        var pack = await JsonAsync(await stack.Api.GetAsync($"{packs}/{sid}"));
        var added = await JsonAsync(await stack.Api.PostAsync($"{packs}/{sid}/stickers", RawJson("""{"image_data_id": "img-1", "emojis": [["🐥", "😃"]]}""")));
        var index = added.GetProperty("stickers")[0].GetProperty("index").GetString();
        var stickers = await JsonAsync(await stack.Api.GetAsync($"{packs}/{sid}/stickers"));
        var sticker = await JsonAsync(await stack.Api.GetAsync($"{packs}/{sid}/stickers/{index}"));
        var deleted = await JsonAsync(await stack.Api.DeleteAsync($"{packs}/{sid}/stickers/{index}"));
        var gone = await stack.Api.GetAsync($"{packs}/{sid}/stickers/{index}");

        Assert.Contains(listed.GetProperty("stickerpacks").EnumerateArray(), p => p.GetProperty("id").GetString() == sid);
        Assert.Equal("Birds", pack.GetProperty("stickerpacks")[0].GetProperty("name").GetString());
        Assert.Equal(index, stickers.GetProperty("stickers")[0].GetProperty("index").GetString());
        Assert.Equal("img-1", sticker.GetProperty("stickers")[0].GetProperty("image_data_id").GetString());
        Assert.Equal(["🐥", "😃"], sticker.GetProperty("stickers")[0].GetProperty("emojis").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("img-1", deleted.GetProperty("stickers")[0].GetProperty("image_data_id").GetString());
        await ProblemAsync(gone, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListPacks_WhatsappNamespace_ReturnsFirstPartyPacks()
    {
        var id = await stack.ReadyDeploymentAsync();

        var packs = await JsonAsync(await stack.Api.GetAsync($"api/deployments/{id}/stickerpacks?namespace=whatsapp"));

        Assert.NotEmpty(packs.GetProperty("stickerpacks").EnumerateArray());
    }

    [Fact]
    public async Task ListPacks_UnknownNamespace_Is422WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.GetAsync("api/deployments/any/stickerpacks?namespace=telegram"), HttpStatusCode.UnprocessableEntity, "namespace");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task CreatePack_MissingFieldsAndBadLink_Is422NamingEachWithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PostAsync("api/deployments/any/stickerpacks", Json(new { android_app_store_link = "not a url" })),
            HttpStatusCode.UnprocessableEntity, "publisher", "name", "android_app_store_link");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task CreateSticker_WithoutImage_Is422WithoutCallingVonage()
    {
        var before = await stack.VonageCallsAsync();

        await ProblemAsync(await stack.Api.PostAsync("api/deployments/any/stickerpacks/p1/stickers", Json(new { emojis = new[] { "🐥" } })),
            HttpStatusCode.UnprocessableEntity, "image_data_id");

        Assert.Equal(before, await stack.VonageCallsAsync());
    }

    [Fact]
    public async Task GetSticker_BadIdsEverywhere_Is422NamingEach()
    {
        await ProblemAsync(await stack.Api.GetAsync($"api/deployments/a..b/stickerpacks/{new string('p', 200)}/stickers/x..y"),
            HttpStatusCode.UnprocessableEntity, "deployment_id", "stickerpack_id", "sticker_index");
    }

    [Fact]
    public async Task GetPack_Unknown_RelaysVonages404()
    {
        var id = await stack.ReadyDeploymentAsync();

        await ProblemAsync(await stack.Api.GetAsync($"api/deployments/{id}/stickerpacks/no-such-pack"), HttpStatusCode.NotFound);
    }
}
