using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Vonage.Http;
using WabaOrchestrator.Vonage.Stickers;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>Stickerpacks and stickers of a READY deployment.</summary>
public static class StickerProxies
{
    /// <summary>Third-party packs, or WhatsApp's own with <c>?namespace=whatsapp</c> (the only namespace Vonage knows).</summary>
    public static Task<IResult> ListPacks(string id, HttpRequest request, IVonageJsonReader vonage)
    {
        var problems = ProxyRules.Id(VonageFields.DeploymentId, id).ToList();
        var ns = request.Query["namespace"].LastOrDefault();
        if (!string.IsNullOrEmpty(ns) && ns != "whatsapp")
        {
            problems.Add(new ValidationProblem("namespace", "Must be whatsapp (first-party packs) or absent (third-party packs)."));
        }

        return ProxyCall.RelayAsync(problems, vonage, VonagePaths.Stickerpacks(id, firstParty: !string.IsNullOrEmpty(ns)), request.HttpContext.RequestAborted);
    }

    public static Task<IResult> CreatePack(string id, HttpRequest request, IStickersClient stickers) =>
        ProxyCall.SendJsonAsync<CreateStickerpackRequest, StickerpackList>(
            request, ProxyRules.Id(VonageFields.DeploymentId, id), VonageRules.Stickerpack,
            (body, ct) => stickers.CreateStickerpackAsync(id, body, ct), ProxyCall.Ok);

    public static Task<IResult> GetPack(string id, string sid, IVonageJsonReader vonage, CancellationToken cancellationToken) =>
        ProxyCall.RelayAsync(PackIds(id, sid), vonage, VonagePaths.Stickerpack(id, sid), cancellationToken);

    public static Task<IResult> ListStickers(string id, string sid, IVonageJsonReader vonage, CancellationToken cancellationToken) =>
        ProxyCall.RelayAsync(PackIds(id, sid), vonage, VonagePaths.Stickers(id, sid), cancellationToken);

    /// <summary>Emojis flat (<c>["🐥"]</c>) or nested as the spec's example shows them (<c>[["🐥"]]</c>).</summary>
    public static Task<IResult> CreateSticker(string id, string sid, HttpRequest request, IStickersClient stickers) =>
        ProxyCall.SendJsonAsync<StickerBody, StickerList>(
            request, PackIds(id, sid), body => VonageRules.Sticker(body.ToRequest()),
            (body, ct) => stickers.CreateStickerAsync(id, sid, body.ToRequest(), ct), ProxyCall.Ok);

    public static Task<IResult> GetSticker(string id, string sid, string index, IVonageJsonReader vonage, CancellationToken cancellationToken) =>
        ProxyCall.RelayAsync(StickerIds(id, sid, index), vonage, VonagePaths.Sticker(id, sid, index), cancellationToken);

    public static Task<IResult> DeleteSticker(string id, string sid, string index, IStickersClient stickers, CancellationToken cancellationToken) =>
        ProxyCall.SendAsync(StickerIds(id, sid, index), ct => stickers.DeleteStickerAsync(id, sid, index, ct), ProxyCall.Ok, cancellationToken);

    private static IReadOnlyList<ValidationProblem> PackIds(string id, string sid) =>
        ProxyRules.Ids((VonageFields.DeploymentId, id), (VonageFields.StickerpackId, sid));

    private static IReadOnlyList<ValidationProblem> StickerIds(string id, string sid, string index) =>
        ProxyRules.Ids((VonageFields.DeploymentId, id), (VonageFields.StickerpackId, sid), (VonageFields.StickerIndex, index));

    public sealed record StickerBody(
        [property: JsonPropertyName("image_data_id")] string? ImageDataId,
        [property: JsonPropertyName("emojis"), JsonConverter(typeof(EmojiListConverter))] IReadOnlyList<string>? Emojis)
    {
        public CreateStickerRequest ToRequest() => new(ImageDataId!, Emojis);
    }
}
