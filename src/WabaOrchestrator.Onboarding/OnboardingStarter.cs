using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Secrets;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Onboarding;

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<StartOutcome>))]
public enum StartOutcome
{
    Started,

    /// <summary>The request is invalid; nothing was started.</summary>
    Invalid,

    /// <summary>An onboarding of this number is already pending or running.</summary>
    AlreadyRunning,
}

public sealed record StartResult(StartOutcome Outcome, string? InstanceId, IReadOnlyList<ValidationProblem> Problems);

/// <summary>
/// Starts onboardings for both hosts: validates the request, encrypts its secrets so only ciphertext reaches the
/// orchestration, fixes the settings, and schedules <see cref="OnboardingOrchestrator"/> as <c>waba-{cc}{number}</c>.
/// </summary>
public sealed class OnboardingStarter(IOrchestrationClient client, ISecretProtector secrets, IOptions<OnboardingOptions> options)
{
    public async Task<StartResult> StartAsync(OnboardingRequest request, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var problems = OnboardingValidation.Validate(request, settings);
        if (problems.Count > 0)
        {
            return new(StartOutcome.Invalid, null, problems);
        }

        var instanceId = OnboardingEvents.InstanceIdFor(request.CountryCode!, request.Number!);
        var input = new OnboardingInput
        {
            CountryCode = request.CountryCode!,
            Number = request.Number!,
            Method = OtpMethod.From(request.Method!),
            WabaId = request.WabaId!,
            ProtectedVnameCertificate = secrets.Protect(request.VnameCertificate!, SecretPurposes.VnameCertificate),
            ProtectedPin = request.Pin is null ? null : secrets.Protect(request.Pin, SecretPurposes.Pin),
            Profile = request.Profile,
            PhotoUrl = request.PhotoUrl,
            CallbackUrl = request.CallbackUrl,
            Settings = settings.Resolve(request.Otp),
        };

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(OnboardingOrchestrator), instanceId, input, cancellationToken);
            return new(StartOutcome.Started, instanceId, []);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return new(StartOutcome.AlreadyRunning, instanceId, []);
        }
    }

    /// <summary>
    /// Encrypts an OTP for the Otp event; accepts "123456", "123-456" and "123 456". <paramref name="receivedAt"/>
    /// becomes <see cref="OtpSubmitted.ReceivedAt"/> (converted to UTC).
    /// </summary>
    public OtpSubmitted ProtectOtp(string code, string source, DateTimeOffset? receivedAt = null) =>
        new(secrets.Protect(NormalizeOtp(code), SecretPurposes.Otp), source, receivedAt?.UtcDateTime);

    /// <summary>The digits of a code as people type or Vonage texts it; null when it is not a 6-digit code.</summary>
    public static string? TryNormalizeOtp(string? code)
    {
        if (code is null)
        {
            return null;
        }

        var digits = new string(code.Where(c => c is not ('-' or ' ')).ToArray());
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    private static string NormalizeOtp(string code) =>
        TryNormalizeOtp(code) ?? throw new ArgumentException("An OTP is 6 digits, optionally written as 123-456.", nameof(code));
}
