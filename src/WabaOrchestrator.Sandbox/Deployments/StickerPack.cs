using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Deployments;

internal sealed record Sticker(string Index, string Id, string ImageDataId, IReadOnlyList<string> Emojis);

/// <summary>A stickerpack; third-party packs belong to one deployment and are mutated under its lock.</summary>
internal sealed class StickerPack(string id, string name, string publisher, string? iosAppStoreLink, string? androidAppStoreLink, bool firstParty = false)
{
    /// <summary>WhatsApp caps a pack at 30 stickers.</summary>
    public const int MaxStickers = 30;

    /// <summary>Third-party packs one deployment may hold (a sandbox bound, not a Vonage one).</summary>
    public const int MaxPacksPerDeployment = 50;

    public string Id => id;

    public string Name => name;

    public string Publisher => publisher;

    public string? IosAppStoreLink => iosAppStoreLink;

    public string? AndroidAppStoreLink => androidAppStoreLink;

    public bool FirstParty => firstParty;

    public List<Sticker> Stickers { get; } = [];

    /// <summary>The index the last sticker added got; indexes are never reused, even after a delete.</summary>
    public int LastIndex { get; set; }

    public Sticker Add(string imageDataId, IReadOnlyList<string> emojis)
    {
        var index = (++LastIndex).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sticker = new Sticker(index, $"{id}-sticker-{index}", imageDataId, emojis);
        Stickers.Add(sticker);
        return sticker;
    }
}

internal static partial class StickerPacks
{
    public const string WhatsAppNamespace = "whatsapp";

    /// <summary>WhatsApp's own packs, the same for every deployment and read-only.</summary>
    public static readonly IReadOnlyList<StickerPack> FirstParty = CreateFirstParty();

    public static (StickerPack? Pack, IReadOnlyList<InvalidParameter> Errors) ReadCreate(JsonObject body)
    {
        var fields = new FieldReader(body);
        var publisher = fields.RequiredString("publisher", 128);
        var name = fields.RequiredString("name", 128);
        var ios = fields.OptionalString("ios_app_store_link", 512, IosLinkPattern(), "Must look like https://itunes.apple.com/app/idXXXXXXXXX.");
        var android = fields.OptionalString("android_app_store_link", 512, AndroidLinkPattern(), "Must look like https://play.google.com/store/apps/details?id=com.example.");
        return fields.IsValid
            ? (new StickerPack($"sticker-pack-{Guid.NewGuid():N}", name!, publisher!, ios, android), fields.Errors)
            : (null, fields.Errors);
    }

    public static (string? ImageDataId, IReadOnlyList<string> Emojis, IReadOnlyList<InvalidParameter> Errors) ReadSticker(JsonObject body)
    {
        var fields = new FieldReader(body);
        var imageDataId = fields.RequiredString("image_data_id", 256);
        var emojis = fields.OptionalStringArray("emojis", maxItems: 3, maxLength: 16);
        return (imageDataId, emojis ?? [], fields.Errors);
    }

    private static List<StickerPack> CreateFirstParty()
    {
        var packs = new List<StickerPack>
        {
            new("whatsapp-cuppy", "Cuppy", "WhatsApp", null, null, firstParty: true),
            new("whatsapp-bibimbap-friends", "Bibimbap Friends", "WhatsApp", null, null, firstParty: true),
            new("whatsapp-unchi-and-rollie", "Unchi & Rollie", "WhatsApp", null, null, firstParty: true),
        };
        foreach (var pack in packs)
        {
            pack.Add($"{pack.Id}-image-1", ["😀"]);
            pack.Add($"{pack.Id}-image-2", ["❤️", "😍"]);
            pack.Add($"{pack.Id}-image-3", ["👍"]);
        }

        return packs;
    }

    [GeneratedRegex(@"^https://itunes\.apple\.com/app/id[0-9]+$")]
    private static partial Regex IosLinkPattern();

    [GeneratedRegex(@"^https://play\.google\.com/store/apps/details\?id=[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")]
    private static partial Regex AndroidLinkPattern();
}
