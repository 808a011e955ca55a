using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Vonage.Stickers;

/// <summary>Stickerpacks and stickers of a READY deployment.</summary>
public interface IStickersClient
{
    /// <summary>Third-party stickerpacks.</summary>
    Task<StickerpackList> ListStickerpacksAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>First-party (WhatsApp) stickerpacks: <c>?namespace=whatsapp</c>.</summary>
    Task<StickerpackList> ListFirstPartyStickerpacksAsync(string deploymentId, CancellationToken cancellationToken = default);

    Task<StickerpackList> CreateStickerpackAsync(string deploymentId, CreateStickerpackRequest request, CancellationToken cancellationToken = default);

    Task<StickerpackList> GetStickerpackAsync(string deploymentId, string stickerpackId, CancellationToken cancellationToken = default);

    Task<StickerList> ListStickersAsync(string deploymentId, string stickerpackId, CancellationToken cancellationToken = default);

    Task<StickerList> CreateStickerAsync(string deploymentId, string stickerpackId, CreateStickerRequest request, CancellationToken cancellationToken = default);

    Task<StickerList> GetStickerAsync(string deploymentId, string stickerpackId, string stickerIndex, CancellationToken cancellationToken = default);

    Task<StickerList> DeleteStickerAsync(string deploymentId, string stickerpackId, string stickerIndex, CancellationToken cancellationToken = default);
}

public sealed class StickersClient(HttpClient http, TimeProvider time) : VonageHttp(http, time), IStickersClient
{
    public Task<StickerpackList> ListStickerpacksAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Id(VonageFields.DeploymentId, deploymentId));
        return GetAsync<StickerpackList>(VonagePaths.Stickerpacks(deploymentId), cancellationToken);
    }

    public Task<StickerpackList> ListFirstPartyStickerpacksAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure(VonageRules.Id(VonageFields.DeploymentId, deploymentId));
        return GetAsync<StickerpackList>(VonagePaths.Stickerpacks(deploymentId, firstParty: true), cancellationToken);
    }

    public Task<StickerpackList> CreateStickerpackAsync(string deploymentId, CreateStickerpackRequest request, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. VonageRules.Id(VonageFields.DeploymentId, deploymentId), .. VonageRules.Stickerpack(request)]);
        return SendJsonAsync<StickerpackList>(HttpMethod.Post, VonagePaths.Stickerpacks(deploymentId), request, cancellationToken);
    }

    public Task<StickerpackList> GetStickerpackAsync(string deploymentId, string stickerpackId, CancellationToken cancellationToken = default)
    {
        EnsurePack(deploymentId, stickerpackId);
        return GetAsync<StickerpackList>(VonagePaths.Stickerpack(deploymentId, stickerpackId), cancellationToken);
    }

    public Task<StickerList> ListStickersAsync(string deploymentId, string stickerpackId, CancellationToken cancellationToken = default)
    {
        EnsurePack(deploymentId, stickerpackId);
        return GetAsync<StickerList>(VonagePaths.Stickers(deploymentId, stickerpackId), cancellationToken);
    }

    public Task<StickerList> CreateStickerAsync(string deploymentId, string stickerpackId, CreateStickerRequest request, CancellationToken cancellationToken = default)
    {
        VonageRules.Ensure([.. PackProblems(deploymentId, stickerpackId), .. VonageRules.Sticker(request)]);
        return SendJsonAsync<StickerList>(HttpMethod.Post, VonagePaths.Stickers(deploymentId, stickerpackId), request, cancellationToken);
    }

    public Task<StickerList> GetStickerAsync(string deploymentId, string stickerpackId, string stickerIndex, CancellationToken cancellationToken = default)
    {
        EnsureSticker(deploymentId, stickerpackId, stickerIndex);
        return GetAsync<StickerList>(VonagePaths.Sticker(deploymentId, stickerpackId, stickerIndex), cancellationToken);
    }

    public Task<StickerList> DeleteStickerAsync(string deploymentId, string stickerpackId, string stickerIndex, CancellationToken cancellationToken = default)
    {
        EnsureSticker(deploymentId, stickerpackId, stickerIndex);
        // The spec documents a body on delete; tolerate a bare 204 too.
        return SendAsync(HttpMethod.Delete, VonagePaths.Sticker(deploymentId, stickerpackId, stickerIndex), content: null, cancellationToken, whenEmpty: () => new StickerList([]));
    }

    private static IReadOnlyList<ValidationProblem> PackProblems(string deploymentId, string stickerpackId) =>
        [.. VonageRules.Id(VonageFields.DeploymentId, deploymentId), .. VonageRules.Id(VonageFields.StickerpackId, stickerpackId)];

    private static void EnsurePack(string deploymentId, string stickerpackId) => VonageRules.Ensure(PackProblems(deploymentId, stickerpackId));

    private static void EnsureSticker(string deploymentId, string stickerpackId, string stickerIndex) =>
        VonageRules.Ensure([.. PackProblems(deploymentId, stickerpackId), .. VonageRules.Id(VonageFields.StickerIndex, stickerIndex)]);
}
