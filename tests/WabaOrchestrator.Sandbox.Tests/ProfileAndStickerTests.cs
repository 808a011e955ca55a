using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests;

public sealed class ProfileAndStickerTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private readonly HttpClient _client = sandbox.Client;
    private string _root = null!;

    public async Task InitializeAsync() => _root = $"{SandboxApi.Deployments}/{await _client.ReadyDeploymentAsync()}";

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Profile_StartsAsWhatsAppsDefault_AndPatchChangesOnlyTheGivenFields()
    {
        var initial = await _client.GetFromJsonAsync<JsonElement>($"{_root}/profile");
        Assert.False(string.IsNullOrEmpty(initial.GetProperty("about").GetString()));

        using var patched = await _client.PatchAsJsonAsync($"{_root}/profile", new
        {
            about = "about your business",
            email = "you@example.com",
            vertical = "Food and Grocery",
            websites = new[] { "https://example.com" },
        });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        using var again = await _client.PatchAsJsonAsync($"{_root}/profile", new { address = "123 main street" });

        var profile = await _client.GetFromJsonAsync<JsonElement>($"{_root}/profile");
        Assert.Equal("about your business", profile.GetProperty("about").GetString());
        Assert.Equal("123 main street", profile.GetProperty("address").GetString());
        Assert.Equal("you@example.com", profile.GetProperty("email").GetString());
        Assert.Equal("Food and Grocery", profile.GetProperty("vertical").GetString());
        Assert.Equal(["https://example.com"], profile.GetProperty("websites").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task Profile_InvalidPatch_IsUnprocessableProfileUpdateNamingEachField()
    {
        using var response = await _client.PatchAsJsonAsync($"{_root}/profile", new
        {
            about = new string('a', 140),
            description = "",
            email = "not-an-email",
            vertical = "Space Travel",
            websites = new[] { "https://a.example", "ftp://b.example", "https://c.example" },
        });
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable-profile-update");
        Assert.Equal(["about", "email", "vertical", "websites", "description"], problem.InvalidParameterNames());

        using var badSite = await _client.PatchAsJsonAsync($"{_root}/profile", new { websites = new[] { "ftp://b.example" } });
        Assert.Equal(["websites[0]"], (await badSite.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable-profile-update")).InvalidParameterNames());
        using var notJson = await _client.PatchAsync($"{_root}/profile", new StringContent("about=x"));
        await notJson.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
    }

    [Fact]
    public async Task Photo_IsReplacedByAValidUrl_AndABadOneIsUnprocessable()
    {
        using var set = await _client.PostAsJsonAsync($"{_root}/profile/photo", new { image_url = "https://www.example.com/img.png" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var photo = await _client.GetFromJsonAsync<JsonElement>($"{_root}/profile/photo");
        Assert.Equal("https://www.example.com/img.png", photo.GetProperty("image_url").GetString());

        using var bad = await _client.PostAsJsonAsync($"{_root}/profile/photo", new { image_url = "https://www.example.com/img.gif" });
        Assert.Equal(["image_url"], (await bad.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
        using var missing = await _client.PostAsJsonAsync($"{_root}/profile/photo", new { });
        Assert.Equal(["image_url"], (await missing.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
    }

    [Fact]
    public async Task Stickerpacks_CreateListAndGet()
    {
        var empty = await _client.GetFromJsonAsync<JsonElement>($"{_root}/stickerpacks");
        Assert.Empty(empty.GetProperty("stickerpacks").EnumerateArray());

        using var created = await _client.PostAsJsonAsync($"{_root}/stickerpacks", new
        {
            publisher = "your-publisher-name",
            name = "your-sticker-pack-name",
            ios_app_store_link = "https://itunes.apple.com/app/id3133333",
            android_app_store_link = "https://play.google.com/store/apps/details?id=com.example",
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var packId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stickerpacks")[0].GetProperty("id").GetString();

        var listed = await _client.GetFromJsonAsync<JsonElement>($"{_root}/stickerpacks");
        Assert.Equal([packId], listed.GetProperty("stickerpacks").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        var pack = (await _client.GetFromJsonAsync<JsonElement>($"{_root}/stickerpacks/{packId}")).GetProperty("stickerpacks")[0];
        Assert.Equal("your-sticker-pack-name", pack.GetProperty("name").GetString());
        Assert.Equal("your-publisher-name", pack.GetProperty("publisher").GetString());
        Assert.Equal("https://itunes.apple.com/app/id3133333", pack.GetProperty("ios_app_store_link").GetString());
        Assert.Equal("https://play.google.com/store/apps/details?id=com.example", pack.GetProperty("android_app_store_link").GetString());
    }

    [Fact]
    public async Task FirstPartyStickerpacks_AreListedByNamespace_AndReadOnly()
    {
        var firstParty = await _client.GetFromJsonAsync<JsonElement>($"{_root}/stickerpacks?namespace=whatsapp");
        var ids = firstParty.GetProperty("stickerpacks").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(ids);

        var stickers = await _client.GetFromJsonAsync<JsonElement>($"{_root}/stickerpacks/{ids[0]}/stickers");
        Assert.NotEmpty(stickers.GetProperty("stickers").EnumerateArray());
        using var add = await _client.PostAsJsonAsync($"{_root}/stickerpacks/{ids[0]}/stickers", new { image_data_id = "id" });
        Assert.Equal(["stickerpack_id"], (await add.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());

        using var badNamespace = await _client.GetAsync($"{_root}/stickerpacks?namespace=telegram");
        Assert.Equal(["namespace"], (await badNamespace.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
    }

    [Fact]
    public async Task Stickers_CreateListGetAndDelete()
    {
        using var created = await _client.PostAsJsonAsync($"{_root}/stickerpacks", new { publisher = "p", name = "n" });
        var packId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stickerpacks")[0].GetProperty("id").GetString();
        var stickers = $"{_root}/stickerpacks/{packId}/stickers";

        using var added = await _client.PostAsJsonAsync(stickers, new { image_data_id = "media-1", emojis = new[] { "🐥", "😃" } });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var index = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stickers")[0].GetProperty("index").GetString();

        var listed = await _client.GetFromJsonAsync<JsonElement>(stickers);
        Assert.Equal([index], listed.GetProperty("stickers").EnumerateArray().Select(s => s.GetProperty("index").GetString()));
        var sticker = (await _client.GetFromJsonAsync<JsonElement>($"{stickers}/{index}")).GetProperty("stickers")[0];
        Assert.Equal("media-1", sticker.GetProperty("image_data_id").GetString());
        Assert.Equal(["🐥", "😃"], sticker.GetProperty("emojis").EnumerateArray().Select(e => e.GetString()));

        using var deleted = await _client.DeleteAsync($"{stickers}/{index}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var gone = await _client.GetAsync($"{stickers}/{index}");
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Stickers_InvalidInput_NamesEachField()
    {
        using var badPack = await _client.PostAsJsonAsync($"{_root}/stickerpacks", new { ios_app_store_link = "https://example.com/app" });
        Assert.Equal(["publisher", "name", "ios_app_store_link"], (await badPack.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());

        using var created = await _client.PostAsJsonAsync($"{_root}/stickerpacks", new { publisher = "p", name = "n" });
        var packId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stickerpacks")[0].GetProperty("id").GetString();
        using var badSticker = await _client.PostAsJsonAsync($"{_root}/stickerpacks/{packId}/stickers", new { emojis = new object[] { "🐥", 7 } });
        Assert.Equal(["image_data_id", "emojis[1]"], (await badSticker.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
    }

    [Fact]
    public async Task UnknownStickerpackOrSticker_Is404()
    {
        using var pack = await _client.GetAsync($"{_root}/stickerpacks/nope");
        await pack.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        using var stickers = await _client.PostAsJsonAsync($"{_root}/stickerpacks/nope/stickers", new { image_data_id = "x" });
        await stickers.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        using var created = await _client.PostAsJsonAsync($"{_root}/stickerpacks", new { publisher = "p", name = "n" });
        var packId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stickerpacks")[0].GetProperty("id").GetString();
        using var sticker = await _client.DeleteAsync($"{_root}/stickerpacks/{packId}/stickers/99");
        await sticker.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}
