using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Stickers;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Contract;

public sealed class StickersContractTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Packs = "/v0.1/whatsapp-manager/deployments/{deployment_id}/stickerpacks";

    [Fact]
    public async Task Stickerpacks_CreateListAndGet_RoundTrip()
    {
        var ready = await sandbox.ReadyDeploymentAsync();
        var request = new CreateStickerpackRequest("your-publisher-name", "your-sticker-pack-name",
            "https://itunes.apple.com/app/id3133333", "https://play.google.com/store/apps/details?id=com.example");

        var created = await sandbox.Stickers.CreateStickerpackAsync(ready.DeploymentId, request);

        Assert.Equal(
            """{"publisher":"your-publisher-name","name":"your-sticker-pack-name","ios_app_store_link":"https://itunes.apple.com/app/id3133333","android_app_store_link":"https://play.google.com/store/apps/details?id=com.example"}""",
            sandbox.Log.Last.Body);
        var id = Assert.Single(created.Stickerpacks).Id;
        Assert.False(string.IsNullOrEmpty(id));

        var listed = await sandbox.Stickers.ListStickerpacksAsync(ready.DeploymentId);
        Assert.Contains(listed.Stickerpacks, p => p.Id == id);

        var pack = Assert.Single((await sandbox.Stickers.GetStickerpackAsync(ready.DeploymentId, id!)).Stickerpacks);
        Assert.Equal("your-sticker-pack-name", pack.Name);
        Assert.Equal("your-publisher-name", pack.Publisher);
        Assert.Equal(request.AndroidAppStoreLink, pack.AndroidAppStoreLink);
        Assert.Equal(request.IosAppStoreLink, pack.IosAppStoreLink);
        Assert.True(await sandbox.CountAsync($"GET {Packs}/{{stickerpack_id}}", 200) >= 1);
    }

    [Fact]
    public async Task FirstPartyStickerpacks_AreListedWithTheWhatsAppNamespace()
    {
        var ready = await sandbox.ReadyDeploymentAsync();

        var packs = await sandbox.Stickers.ListFirstPartyStickerpacksAsync(ready.DeploymentId);

        Assert.Equal("namespace=whatsapp", sandbox.Log.Last.Uri.Query.TrimStart('?'));
        Assert.NotEmpty(packs.Stickerpacks);
        Assert.All(packs.Stickerpacks, p => Assert.False(string.IsNullOrEmpty(p.Id)));
    }

    [Fact]
    public async Task Stickers_CreateListGetAndDelete_RoundTrip()
    {
        var ready = await sandbox.ReadyDeploymentAsync();
        var packId = (await sandbox.Stickers.CreateStickerpackAsync(ready.DeploymentId, new CreateStickerpackRequest("publisher", "pack"))).Stickerpacks[0].Id!;

        var created = await sandbox.Stickers.CreateStickerAsync(ready.DeploymentId, packId, new CreateStickerRequest("image-1", ["🐥", "😃"]));

        Assert.Equal("""{"image_data_id":"image-1","emojis":["🐥","😃"]}""", System.Text.RegularExpressions.Regex.Unescape(sandbox.Log.Last.Body!));
        var index = Assert.Single(created.Stickers).Index;
        Assert.False(string.IsNullOrEmpty(index));
        Assert.Contains((await sandbox.Stickers.ListStickersAsync(ready.DeploymentId, packId)).Stickers, s => s.Index == index);

        var sticker = Assert.Single((await sandbox.Stickers.GetStickerAsync(ready.DeploymentId, packId, index!)).Stickers);
        Assert.Equal("image-1", sticker.ImageDataId);
        Assert.Equal(["🐥", "😃"], sticker.Emojis);

        await sandbox.Stickers.DeleteStickerAsync(ready.DeploymentId, packId, index!);
        Assert.Equal(HttpMethod.Delete, sandbox.Log.Last.Method);
        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Stickers.GetStickerAsync(ready.DeploymentId, packId, index!));
        Assert.True(error.IsNotFound);
    }

    [Fact]
    public async Task Stickerpacks_BeforeReady_ThrowConflictDeploymentState()
    {
        var provisioned = await sandbox.Deployments.ProvisionAsync(sandbox.NewProvision());

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Stickers.ListStickerpacksAsync(provisioned.DeploymentId));

        Assert.True(error.IsConflictDeploymentState);
    }
}
