using System.Globalization;
using System.Text;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Vonage.Http;

/// <summary>
/// Every Vonage resource path, relative to the API root, in one place: the typed clients and the pass-through reader
/// (<see cref="IVonageJsonReader"/>) build the same URLs. Ids are escaped as one segment each; they were already
/// checked by <c>VonageRules</c>.
/// </summary>
public static class VonagePaths
{
    public const string Deployments = "v0.1/whatsapp-manager/deployments";

    public const string MediaUploads = "v2/whatsapp-manager/media/uploads";

    public static string Deployment(string deploymentId) => $"{Deployments}/{Segment(deploymentId)}";

    public static string Profile(string deploymentId) => Deployment(deploymentId) + "/profile";

    public static string ProfilePhoto(string deploymentId) => Profile(deploymentId) + "/photo";

    public static string Stickerpacks(string deploymentId, bool firstParty = false) =>
        firstParty ? WithQuery(Deployment(deploymentId) + "/stickerpacks", ("namespace", "whatsapp")) : Deployment(deploymentId) + "/stickerpacks";

    public static string Stickerpack(string deploymentId, string stickerpackId) => $"{Stickerpacks(deploymentId)}/{Segment(stickerpackId)}";

    public static string Stickers(string deploymentId, string stickerpackId) => Stickerpack(deploymentId, stickerpackId) + "/stickers";

    public static string Sticker(string deploymentId, string stickerpackId, string stickerIndex) =>
        $"{Stickers(deploymentId, stickerpackId)}/{Segment(stickerIndex)}";

    public static string Templates(string wabaId) => $"v2/whatsapp-manager/wabas/{Segment(wabaId)}/templates";

    public static string Template(string wabaId, string templateId) => $"{Templates(wabaId)}/{Segment(templateId)}";

    /// <summary>One page of templates with every filter and cursor <paramref name="query"/> sets.</summary>
    public static string TemplateList(string wabaId, TemplateQuery query) => WithQuery(
        Templates(wabaId),
        ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)),
        ("before", query.Before),
        ("after", query.After),
        ("category", query.Category?.Value),
        ("content", query.Content),
        ("language", query.Language),
        ("name", query.Name),
        ("name_or_content", query.NameOrContent),
        ("quality_score", query.QualityScore?.Value),
        ("status", query.Status?.Value));

    public static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>Builds <c>path?k=v&amp;…</c>, skipping null values.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }
}
