using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>Validation of the v0.1 request bodies; every bad field is named in <c>invalid_parameters</c>.</summary>
internal static partial class DeploymentRequests
{
    public const string Sms = "sms";
    public const string Voice = "voice";
    public static readonly string[] Methods = [Sms, Voice];

    public static (DeploymentRequest? Request, IReadOnlyList<InvalidParameter> Errors) ReadProvision(JsonObject body)
    {
        var fields = new FieldReader(body);
        var countryCode = fields.RequiredString("country_code", 4, CountryCodePattern(), "Must be 1 to 4 digits, without '+' or leading zero.");
        var number = fields.RequiredString("number", 14, NumberPattern(), "Must be 4 to 14 digits, without the country code.");
        var certificate = fields.RequiredString("vname_certificate", 4096);
        var method = fields.OptionalEnum("method", Methods, required: true);
        var wabaId = fields.RequiredString("waba_id", 64);
        var pin = fields.OptionalString("pin", 6, PinPattern(), "Must be 6 digits.");
        if (countryCode is not null && number is not null && countryCode.Length + number.Length > 15)
        {
            fields.Fail("number", "country_code and number together must be at most 15 digits (E.164).");
        }

        return fields.IsValid
            ? (new DeploymentRequest(countryCode!, number!, certificate!, method!, wabaId!, pin), fields.Errors)
            : (null, fields.Errors);
    }

    /// <summary>Codes are six digits; the "123-456" form WhatsApp's SMS shows is accepted too.</summary>
    public static (string? Code, IReadOnlyList<InvalidParameter> Errors) ReadVerify(JsonObject body)
    {
        var fields = new FieldReader(body);
        var code = fields.RequiredString("code", 16, CodePattern(), "Must be a 6-digit code.");
        return (code?.Replace("-", "", StringComparison.Ordinal), fields.Errors);
    }

    public static (string? Method, IReadOnlyList<InvalidParameter> Errors) ReadResend(JsonObject body)
    {
        var fields = new FieldReader(body);
        var method = fields.OptionalEnum("method", Methods);
        return (method, fields.Errors);
    }

    [GeneratedRegex(@"^[1-9][0-9]{0,3}$")]
    private static partial Regex CountryCodePattern();

    [GeneratedRegex(@"^[0-9]{4,14}$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[0-9]{6}$")]
    private static partial Regex PinPattern();

    [GeneratedRegex(@"^[0-9]{3}-?[0-9]{3}$")]
    private static partial Regex CodePattern();
}
