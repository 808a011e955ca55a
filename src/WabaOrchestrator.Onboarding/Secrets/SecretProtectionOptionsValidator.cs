using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Onboarding.Secrets;

/// <summary>Fails the start with the exact problem (a missing key, a bad id, no primary) rather than at the first secret.</summary>
internal sealed class SecretProtectionOptionsValidator : IValidateOptions<SecretProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretProtectionOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
