using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Models;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Stickers;

namespace WabaOrchestrator.Vonage.Validation;

/// <summary>
/// What Vonage (and Meta behind it) refuses, checked before any request. Each rule returns every
/// problem it finds (empty when fine), so a host can answer 422 with the full list; the client
/// calls <see cref="Ensure"/>, which throws <see cref="ArgumentException"/> naming the first field.
/// </summary>
public static partial class VonageRules
{
    public const int MaxLimit = 500;
    public const int MaxAbout = 139;
    public const int MaxAddress = 256;
    public const int MaxDescription = 256;
    public const int MaxEmail = 128;
    public const int MaxWebsites = 2;
    public const int MaxWebsite = 256;

    private static readonly IReadOnlyList<ValidationProblem> None = [];

    /// <summary>Throws <see cref="ArgumentException"/> (ParamName = the first field) when there is any problem.</summary>
    public static void Ensure(IReadOnlyList<ValidationProblem> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var message = string.Join("; ", problems.Select(p => $"{p.Field}: {p.Reason}"));
        throw new ArgumentException(message, problems[0].Field);
    }

    /// <summary>A non-empty value.</summary>
    public static IReadOnlyList<ValidationProblem> Required(string field, string? value) =>
        IsBlank(value) ? [new(field, "Is required.")] : None;

    /// <summary>A non-empty id that is safe as one URL path segment.</summary>
    public static IReadOnlyList<ValidationProblem> Id(string field, string? value)
    {
        if (IsBlank(value))
        {
            return [new(field, "Is required.")];
        }

        return value.IndexOfAny(['/', '\\', '?', '#']) >= 0 || value.Contains("..", StringComparison.Ordinal) || value.Any(char.IsControl)
            ? [new(field, "Must not contain '/', '\\', '?', '#', '..' or control characters.")]
            : None;
    }

    /// <summary>Template list query.</summary>
    public static IReadOnlyList<ValidationProblem> Query(Templates.TemplateQuery query)
    {
        var problems = new List<ValidationProblem>();
        if (query.Limit is { } limit and (< 1 or > MaxLimit))
        {
            problems.Add(new(VonageFields.Limit, $"Must be between 1 and {MaxLimit}."));
        }

        if (query.Before is not null && query.After is not null)
        {
            problems.Add(new("before", "Use either before or after, not both."));
        }

        return problems;
    }

    /// <summary>Provision request.</summary>
    public static IReadOnlyList<ValidationProblem> Provision(ProvisionDeploymentRequest request)
    {
        var problems = new List<ValidationProblem>();
        Digits(problems, "country_code", request.CountryCode, 1, 4);
        Digits(problems, "number", request.Number, 4, 15);
        problems.AddRange(Required("vname_certificate", request.VnameCertificate));
        problems.AddRange(OtpMethod(request.Method));
        problems.AddRange(Id(VonageFields.WabaId, request.WabaId));
        if (request.Pin is not null)
        {
            Digits(problems, "pin", request.Pin, 6, 6);
        }

        return problems;
    }

    /// <summary>An OTP code: digits only (a pasted "123-456" or "123 456" is normalised by the caller, not here).</summary>
    public static IReadOnlyList<ValidationProblem> OtpCode(string? code)
    {
        var problems = new List<ValidationProblem>();
        Digits(problems, VonageFields.Code, code, 4, 8);
        return problems;
    }

    public static IReadOnlyList<ValidationProblem> OtpMethod(OtpMethod method) =>
        method.IsKnown() ? None : [new(VonageFields.Method, "Must be sms or voice.")];

    public static IReadOnlyList<ValidationProblem> OptionalOtpMethod(OtpMethod? method) =>
        method is { } value ? OtpMethod(value) : None;

    /// <summary>
    /// Business profile (PATCH semantics: absent fields are fine, present ones must fit WhatsApp's
    /// limits). The onboarding request validation reuses this.
    /// </summary>
    public static IReadOnlyList<ValidationProblem> Profile(BusinessProfile profile, string prefix = "")
    {
        var problems = new List<ValidationProblem>();
        Length(problems, prefix + "about", profile.About, MaxAbout);
        Length(problems, prefix + "address", profile.Address, MaxAddress);
        Length(problems, prefix + "description", profile.Description, MaxDescription);
        if (Length(problems, prefix + "email", profile.Email, MaxEmail) && profile.Email is { } email && !IsEmail(email))
        {
            problems.Add(new(prefix + "email", "Must be an email address."));
        }

        if (profile.Vertical is { } vertical && !vertical.IsKnown())
        {
            problems.Add(new(prefix + "vertical", $"Must be one of: {string.Join(", ", ProfileVertical.Known)}."));
        }

        if (profile.Websites is { } websites)
        {
            if (websites.Count > MaxWebsites)
            {
                problems.Add(new(prefix + "websites", $"At most {MaxWebsites} websites."));
            }

            for (var i = 0; i < websites.Count; i++)
            {
                var field = $"{prefix}websites[{i}]";
                if (Length(problems, field, websites[i], MaxWebsite) && !IsHttpUrl(websites[i]))
                {
                    problems.Add(new(field, "Must be an absolute http(s) URL."));
                }
            }
        }

        return problems;
    }

    /// <summary>Profile photo URL.</summary>
    public static IReadOnlyList<ValidationProblem> PhotoUrl(string? imageUrl, string field = VonageFields.ImageUrl) =>
        IsBlank(imageUrl) ? [new(field, "Is required.")]
        : IsHttpUrl(imageUrl) ? None
        : [new(field, "Must be an absolute http(s) URL.")];

    public static IReadOnlyList<ValidationProblem> Stickerpack(CreateStickerpackRequest request)
    {
        var problems = new List<ValidationProblem>();
        problems.AddRange(Required("publisher", request.Publisher));
        problems.AddRange(Required("name", request.Name));
        OptionalUrl(problems, "ios_app_store_link", request.IosAppStoreLink);
        OptionalUrl(problems, "android_app_store_link", request.AndroidAppStoreLink);
        return problems;
    }

    public static IReadOnlyList<ValidationProblem> Sticker(CreateStickerRequest request)
    {
        var problems = new List<ValidationProblem>();
        problems.AddRange(Required("image_data_id", request.ImageDataId));
        if (request.Emojis is { } emojis && emojis.Any(IsBlank))
        {
            problems.Add(new("emojis", "Must not contain empty values."));
        }

        return problems;
    }

    public static IReadOnlyList<ValidationProblem> MediaFileType(MediaFileType fileType) =>
        fileType.IsKnown() ? None : [new(VonageFields.FileType, $"Must be one of: {string.Join(", ", Media.MediaFileType.Known)}.")];

    internal static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    // An RTL override or zero-width character in an address displays as another address.
    private static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.', StringComparison.Ordinal)
        && !value.Any(IsInvisible);

    /// <summary>
    /// Null, empty, or nothing a person can see: whitespace, control characters and format characters (zero-width
    /// spaces and joiners, direction marks, a BOM). Vonage would store such a "name" and show it as empty.
    /// </summary>
    internal static bool IsBlank([NotNullWhen(false)] string? value) => value is null || value.All(c => char.IsWhiteSpace(c) || IsInvisible(c));

    private static bool IsInvisible(char c) => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    /// <summary>Adds a problem for a present value outside 1..max; true when the value is absent or fits.</summary>
    private static bool Length(List<ValidationProblem> problems, string field, string? value, int max)
    {
        if (value is null)
        {
            return true;
        }

        if (value.Length == 0 || value.Length > max)
        {
            problems.Add(new(field, $"Must be 1 to {max} characters."));
            return false;
        }

        return true;
    }

    private static void OptionalUrl(List<ValidationProblem> problems, string field, string? value)
    {
        if (value is not null && !IsHttpUrl(value))
        {
            problems.Add(new(field, "Must be an absolute http(s) URL."));
        }
    }

    private static void Digits(List<ValidationProblem> problems, string field, string? value, int min, int max)
    {
        if (IsBlank(value))
        {
            problems.Add(new(field, "Is required."));
        }
        else if (value.Length < min || value.Length > max || !value.All(char.IsAsciiDigit))
        {
            problems.Add(new(field, min == max ? $"Must be {min} digits." : $"Must be {min} to {max} digits."));
        }
    }

    [GeneratedRegex(@"\{\{(\d+)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[a-z0-9_]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex TemplateName();
}
