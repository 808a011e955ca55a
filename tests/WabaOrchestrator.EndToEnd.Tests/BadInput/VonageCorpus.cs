using static WabaOrchestrator.EndToEnd.Tests.BadInput.Requests;

namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>
/// Requests that are well-formed, so they DO reach Vonage (the sandbox counts them), and that Vonage refuses: unknown
/// deployments, packs, stickers and templates, a resend on a READY number, content that does not match its file type.
/// Vonage's error is relayed as it came: its status and its own problem+json body.
/// </summary>
public static class VonageCorpus
{
    public static IEnumerable<BadRequestCase> Cases(CorpusContext c)
    {
        var unknown = $"/api/deployments/{CorpusContext.UnknownDeploymentId}";
        var d = c.Deployment;
        var pack = $"{d}/stickerpacks/corpus-unknown-pack";
        return
        [
            Keyed(c, "unknown deployment: get", "GET", unknown, (string?)null, 404),
            Keyed(c, "unknown deployment: delete", "DELETE", unknown, (string?)null, 404),
            Keyed(c, "unknown deployment: resend-otp", "POST", $"{unknown}/resend-otp", (string?)null, 404),
            Keyed(c, "unknown deployment: resend-otp by voice", "POST", $"{unknown}/resend-otp", "{\"method\":\"voice\"}", 404),
            Keyed(c, "unknown deployment: get profile", "GET", $"{unknown}/profile", (string?)null, 404),
            Keyed(c, "unknown deployment: patch profile", "PATCH", $"{unknown}/profile", ProxyCorpus.ValidProfile, 404),
            Keyed(c, "unknown deployment: get photo", "GET", $"{unknown}/profile/photo", (string?)null, 404),
            Keyed(c, "unknown deployment: set photo", "POST", $"{unknown}/profile/photo", ProxyCorpus.ValidPhoto, 404),
            Keyed(c, "unknown deployment: list stickerpacks", "GET", $"{unknown}/stickerpacks", (string?)null, 404),
            Keyed(c, "unknown deployment: create stickerpack", "POST", $"{unknown}/stickerpacks", ProxyCorpus.ValidPack, 404),
            Keyed(c, "unknown deployment, id with an RTL mark", "GET", "/api/deployments/" + Encode("\u200f" + CorpusContext.UnknownDeploymentId), (string?)null, 404),
            Keyed(c, "unknown deployment, id with a zero-width space", "GET", "/api/deployments/" + Encode(CorpusContext.UnknownDeploymentId + "\u200b"), (string?)null, 404),
            Keyed(c, "unknown deployment, id with an encoded slash", "GET", "/api/deployments/a%2Fb", (string?)null, 404),
            Keyed(c, "unknown deployment, emoji id", "GET", "/api/deployments/" + Encode("🍞"), (string?)null, 404),
            Keyed(c, "READY deployment: resend-otp", "POST", $"{d}/resend-otp", (string?)null, 409),
            Keyed(c, "unknown pack: get", "GET", pack, (string?)null, 404),
            Keyed(c, "unknown pack: list stickers", "GET", $"{pack}/stickers", (string?)null, 404),
            Keyed(c, "unknown pack: add sticker", "POST", $"{pack}/stickers", ProxyCorpus.ValidSticker, 404),
            Keyed(c, "unknown pack: get sticker", "GET", $"{pack}/stickers/0", (string?)null, 404),
            Keyed(c, "unknown pack: delete sticker", "DELETE", $"{pack}/stickers/0", (string?)null, 404),
            Keyed(c, "unknown template: get", "GET", $"{c.Templates}/999999999999", (string?)null, 404),
            Keyed(c, "unknown template: put", "PUT", $"{c.Templates}/999999999999", ProxyCorpus.ValidTemplate, 404),
            Keyed(c, "unknown template name: delete", "DELETE", $"{c.Templates}?name=corpus_no_such_template", (string?)null, 404),
            Keyed(c, "upload: text that says it is a PNG", "POST", "/api/media/uploads?file_type=image/png",
                MediaCorpus.ValidMultipart.Replace("\u0089PNG", "not a png at all", StringComparison.Ordinal), null, "multipart/form-data; boundary=corpus-boundary"),
        ];
    }
}
