using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>The WhatsApp business profile of a READY deployment.</summary>
internal sealed record BusinessProfile(string? About, string? Address, string? Description, string? Email, string? Vertical, IReadOnlyList<string> Websites)
{
    /// <summary>What WhatsApp shows for a number whose profile was never set.</summary>
    public static readonly BusinessProfile Default = new("Hey there! I am using WhatsApp.", null, null, null, null, []);
}

internal static partial class ProfileRequests
{
    public static readonly string[] Verticals =
    [
        "Automotive", "Beauty, Spa and Salon", "Clothing and Apparel", "Education", "Entertainment",
        "Event Planning and Service", "Finance and Banking", "Food and Grocery", "Public Service",
        "Hotel and Lodging", "Medical and Health", "Non-profit", "Professional Services",
        "Shopping and Retail", "Travel and Transportation", "Restaurant", "Other",
    ];

    /// <summary>A PATCH changes only the fields it carries.</summary>
    public static (BusinessProfile? Profile, IReadOnlyList<InvalidParameter> Errors) ReadPatch(JsonObject body, BusinessProfile current)
    {
        var fields = new FieldReader(body);
        var about = fields.OptionalString("about", 139);
        var address = fields.OptionalString("address", 256);
        var description = fields.OptionalString("description", 256);
        var email = fields.OptionalString("email", 128, EmailPattern(), "Must be an email address.");
        var vertical = fields.OptionalEnum("vertical", Verticals);
        var websites = fields.OptionalStringArray("websites", maxItems: 2, maxLength: 256);
        foreach (var name in new[] { "about", "address", "description", "email" })
        {
            if (body[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length == 0)
            {
                fields.Fail(name, "Must be at least 1 character.");
            }
        }

        for (var i = 0; websites is not null && i < websites.Count; i++)
        {
            if (!IsWebUrl(websites[i]))
            {
                fields.Fail($"websites[{i}]", "Must be an absolute http or https URL.");
            }
        }

        if (!fields.IsValid)
        {
            return (null, fields.Errors);
        }

        return (new BusinessProfile(
            about ?? current.About,
            address ?? current.Address,
            description ?? current.Description,
            email ?? current.Email,
            vertical ?? current.Vertical,
            websites ?? current.Websites), fields.Errors);
    }

    /// <summary>Vonage fetches the photo from the URL; the sandbox only checks that it names a PNG or JPEG over http(s).</summary>
    public static (string? ImageUrl, IReadOnlyList<InvalidParameter> Errors) ReadPhoto(JsonObject body)
    {
        var fields = new FieldReader(body);
        var url = fields.RequiredString("image_url", 2048);
        if (url is not null && !(IsWebUrl(url) && ImagePathPattern().IsMatch(new Uri(url).AbsolutePath)))
        {
            fields.Fail("image_url", "Must be an absolute http or https URL of a .png or .jpg image.");
        }

        return fields.IsValid ? (url, fields.Errors) : (null, fields.Errors);
    }

    private static bool IsWebUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\.(png|jpe?g)$", RegexOptions.IgnoreCase)]
    private static partial Regex ImagePathPattern();
}
