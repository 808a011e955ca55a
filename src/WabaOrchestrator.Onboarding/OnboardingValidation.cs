using WabaOrchestrator.Onboarding.Callbacks;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Models;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Onboarding;

/// <summary>Every reason a start request would be refused, one per bad field (JSON names, dotted for nested ones).</summary>
public static class OnboardingValidation
{
    private const int MaxUrlLength = 2048;

    public static IReadOnlyList<ValidationProblem> Validate(OnboardingRequest request, OnboardingOptions options)
    {
        var problems = new List<ValidationProblem>();
        Digits(problems, "country_code", request.CountryCode, 1, 3);
        Digits(problems, "number", request.Number, 4, 15);
        if (string.IsNullOrWhiteSpace(request.VnameCertificate))
        {
            problems.Add(new("vname_certificate", "Is required."));
        }
        else if (request.VnameCertificate.Length > 4096)
        {
            problems.Add(new("vname_certificate", "Must be at most 4096 characters."));
        }

        if (request.Method is null)
        {
            problems.Add(new("method", "Is required."));
        }
        else if (!StringValues.TryParseKnown<OtpMethod>(request.Method, out _))
        {
            problems.Add(new("method", "Must be sms or voice."));
        }

        Digits(problems, "waba_id", request.WabaId, 1, 20);
        if (request.Pin is not null)
        {
            Digits(problems, "pin", request.Pin, 6, 6);
        }

        if (request.Profile is { } profile)
        {
            problems.AddRange(VonageRules.Profile(profile, "profile."));
        }

        if (request.PhotoUrl is { } photoUrl && !IsImageUrl(photoUrl))
        {
            problems.Add(new("photo_url", "Must be an absolute http(s) URL of a .png, .jpg or .jpeg image."));
        }

        if (request.CallbackUrl is { } callbackUrl)
        {
            if (!IsHttpUrl(callbackUrl, out var callbackUri))
            {
                problems.Add(new("callback_url", "Must be an absolute http(s) URL."));
            }
            else if (string.IsNullOrEmpty(options.Callbacks.SigningSecret))
            {
                problems.Add(new("callback_url", "Status callbacks are not enabled on this service (Onboarding:Callbacks:SigningSecret is not set)."));
            }
            else if (CallbackUrlRules.Refusal(callbackUri, options.Callbacks) is { } refusal)
            {
                problems.Add(new("callback_url", refusal));
            }
        }

        if (request.Otp is { } otp)
        {
            var limits = options.Limits;
            if (otp.Window is { } window && (window < limits.MinWindow || window > limits.MaxWindow))
            {
                problems.Add(new("otp.window", $"Must be between {limits.MinWindow} and {limits.MaxWindow}."));
            }

            if (otp.MaxResends is { } resends && (resends < 0 || resends > limits.MaxResends))
            {
                problems.Add(new("otp.max_resends", $"Must be between 0 and {limits.MaxResends}."));
            }

            if (otp.MaxAttempts is { } attempts && (attempts < 1 || attempts > limits.MaxAttempts))
            {
                problems.Add(new("otp.max_attempts", $"Must be between 1 and {limits.MaxAttempts}."));
            }
        }

        return problems;
    }

    private static void Digits(List<ValidationProblem> problems, string field, string? value, int min, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add(new(field, "Is required."));
        }
        else if (value.Length < min || value.Length > max || !value.All(char.IsAsciiDigit))
        {
            problems.Add(new(field, min == max ? $"Must be {min} digits." : $"Must be {min} to {max} digits."));
        }
    }

    private static bool IsImageUrl(string value) =>
        IsHttpUrl(value, out var uri)
        && (uri.AbsolutePath.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
            || uri.AbsolutePath.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)
            || uri.AbsolutePath.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase));

    private static bool IsHttpUrl(string value, out Uri uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri!)
        && value.Length <= MaxUrlLength
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && !string.IsNullOrEmpty(uri.Host);
}
