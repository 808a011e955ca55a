using Microsoft.AspNetCore.Mvc;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>Stickerpacks (third-party per deployment, plus WhatsApp's first-party ones) and their stickers.</summary>
internal static class StickerEndpoints
{
    public static RouteGroupBuilder MapStickers(this RouteGroupBuilder deployments)
    {
        deployments.MapGet("/{deployment_id}/stickerpacks", ListPacks);
        deployments.MapPost("/{deployment_id}/stickerpacks", CreatePack);
        deployments.MapGet("/{deployment_id}/stickerpacks/{stickerpack_id}", GetPack);
        deployments.MapGet("/{deployment_id}/stickerpacks/{stickerpack_id}/stickers", ListStickers);
        deployments.MapPost("/{deployment_id}/stickerpacks/{stickerpack_id}/stickers", CreateSticker);
        deployments.MapGet("/{deployment_id}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}", GetSticker);
        deployments.MapDelete("/{deployment_id}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}", DeleteSticker);
        return deployments;
    }

    private static IResult ListPacks([FromRoute(Name = "deployment_id")] string id, [FromQuery(Name = "namespace")] string? ns, DeploymentStore store)
    {
        if (ns is not null && ns != StickerPacks.WhatsAppNamespace)
        {
            return DeploymentAccess.Invalid([new InvalidParameter("namespace", $"Must be '{StickerPacks.WhatsAppNamespace}' or absent.")]);
        }

        return DeploymentAccess.WhenReady(store, id, deployment =>
        {
            var packs = ns is null ? deployment.StickerPacks : StickerPacks.FirstParty;
            return SandboxJson.Result(new PackIdsResponse([.. packs.Select(p => new PackId(p.Id))]));
        });
    }

    private static Task<IResult> CreatePack([FromRoute(Name = "deployment_id")] string id, HttpRequest request, DeploymentStore store) =>
        DeploymentAccess.WhenReadyWithBody(store, id, request, (deployment, body) =>
        {
            var (pack, errors) = StickerPacks.ReadCreate(body);
            if (pack is null)
            {
                return DeploymentAccess.Invalid(errors);
            }

            if (deployment.StickerPacks.Count >= StickerPack.MaxPacksPerDeployment)
            {
                return DeploymentAccess.Invalid([new InvalidParameter("name", $"A deployment holds at most {StickerPack.MaxPacksPerDeployment} stickerpacks in the sandbox.")]);
            }

            deployment.StickerPacks.Add(pack);
            store.Save(deployment);
            return SandboxJson.Result(new PackIdsResponse([new PackId(pack.Id)]));
        });

    private static IResult GetPack([FromRoute(Name = "deployment_id")] string id, [FromRoute(Name = "stickerpack_id")] string packId, DeploymentStore store) =>
        WithPack(store, id, packId, pack => SandboxJson.Result(new PackDetailsResponse(
            [new PackDetails(pack.Name, pack.Publisher, pack.AndroidAppStoreLink, pack.IosAppStoreLink)])));

    private static IResult ListStickers([FromRoute(Name = "deployment_id")] string id, [FromRoute(Name = "stickerpack_id")] string packId, DeploymentStore store) =>
        WithPack(store, id, packId, pack => SandboxJson.Result(new StickerIndexesResponse([.. pack.Stickers.Select(s => new StickerIndex(s.Index))])));

    private static Task<IResult> CreateSticker(
        [FromRoute(Name = "deployment_id")] string id, [FromRoute(Name = "stickerpack_id")] string packId, HttpRequest request, DeploymentStore store) =>
        DeploymentAccess.WhenReadyWithBody(store, id, request, (deployment, body) => WithPack(deployment, packId, pack =>
        {
            var (imageDataId, emojis, errors) = StickerPacks.ReadSticker(body);
            if (imageDataId is null || errors.Count > 0)
            {
                return DeploymentAccess.Invalid(errors);
            }

            if (pack.FirstParty)
            {
                return ReadOnlyPack();
            }

            if (pack.Stickers.Count >= StickerPack.MaxStickers)
            {
                return DeploymentAccess.Invalid([new InvalidParameter("image_data_id", $"A stickerpack holds at most {StickerPack.MaxStickers} stickers.")]);
            }

            var sticker = pack.Add(imageDataId, emojis);
            store.Save(deployment);
            return SandboxJson.Result(new StickerIndexesResponse([new StickerIndex(sticker.Index)]));
        }));

    private static IResult GetSticker(
        [FromRoute(Name = "deployment_id")] string id, [FromRoute(Name = "stickerpack_id")] string packId,
        [FromRoute(Name = "sticker_index")] string index, DeploymentStore store) =>
        WithSticker(store, id, packId, index, (_, sticker) => SandboxJson.Result(StickerResponse.Of(sticker)));

    private static IResult DeleteSticker(
        [FromRoute(Name = "deployment_id")] string id, [FromRoute(Name = "stickerpack_id")] string packId,
        [FromRoute(Name = "sticker_index")] string index, DeploymentStore store) =>
        DeploymentAccess.WhenReady(store, id, deployment => WithPack(deployment, packId, pack =>
        {
            if (pack.Stickers.Find(s => s.Index == index) is not { } sticker)
            {
                return StickerNotFound(packId, index);
            }

            if (pack.FirstParty)
            {
                return ReadOnlyPack();
            }

            pack.Stickers.Remove(sticker);
            store.Save(deployment);
            return SandboxJson.Result(StickerResponse.Of(sticker));
        }));

    private static IResult WithPack(DeploymentStore store, string id, string packId, Func<StickerPack, IResult> action) =>
        DeploymentAccess.WhenReady(store, id, deployment => WithPack(deployment, packId, action));

    // Caller holds the deployment's lock.
    private static IResult WithPack(Deployment deployment, string packId, Func<StickerPack, IResult> action)
    {
        var pack = deployment.StickerPacks.Find(p => p.Id == packId) ?? StickerPacks.FirstParty.FirstOrDefault(p => p.Id == packId);
        return pack is null
            ? VonageProblems.NotFound(VonageApi.WhatsAppManager, $"Stickerpack {packId} was not found.")
            : action(pack);
    }

    private static IResult WithSticker(DeploymentStore store, string id, string packId, string index, Func<StickerPack, Sticker, IResult> action) =>
        WithPack(store, id, packId, pack => pack.Stickers.Find(s => s.Index == index) is { } sticker
            ? action(pack, sticker)
            : StickerNotFound(packId, index));

    private static VonageProblemResult StickerNotFound(string packId, string index) =>
        VonageProblems.NotFound(VonageApi.WhatsAppManager, $"Sticker {index} was not found in stickerpack {packId}.");

    private static VonageProblemResult ReadOnlyPack() =>
        DeploymentAccess.Invalid([new InvalidParameter("stickerpack_id", "First-party (WhatsApp) stickerpacks are read-only.")]);

    private sealed record PackId(string Id);

    private sealed record PackIdsResponse(IReadOnlyList<PackId> Stickerpacks);

    private sealed record PackDetails(string Name, string Publisher, string? AndroidAppStoreLink, string? IosAppStoreLink);

    private sealed record PackDetailsResponse(IReadOnlyList<PackDetails> Stickerpacks);

    private sealed record StickerIndex(string Index);

    private sealed record StickerIndexesResponse(IReadOnlyList<StickerIndex> Stickers);

    private sealed record StickerDetails(string Id, string ImageDataId, IReadOnlyList<string> Emojis);

    private sealed record StickerResponse(IReadOnlyList<StickerDetails> Stickers)
    {
        public static StickerResponse Of(Sticker sticker) => new([new StickerDetails(sticker.Id, sticker.ImageDataId, sticker.Emojis)]);
    }
}
