using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Vonage.Configuration;

/// <summary>
/// The cross-field rules data annotations cannot express: exactly one private-key source, an
/// absolute http(s) base URL, and the nested resilience settings.
/// </summary>
internal sealed class VonageOptionsValidator : IValidateOptions<VonageOptions>
{
    public ValidateOptionsResult Validate(string? name, VonageOptions options)
    {
        var failures = new List<string>();
        if (options.BaseUrl is null || !options.BaseUrl.IsAbsoluteUri || (options.BaseUrl.Scheme != Uri.UriSchemeHttps && options.BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Vonage:BaseUrl must be an absolute http(s) URL, e.g. https://api.nexmo.com or the sandbox's http://127.0.0.1:5080.");
        }

        var sources = new[]
        {
            !string.IsNullOrWhiteSpace(options.PrivateKey),
            !string.IsNullOrWhiteSpace(options.PrivateKeyPath),
            options.KeyVault.IsConfigured,
        }.Count(configured => configured);
        if (sources == 0)
        {
            failures.Add("No Vonage private key configured: set one of Vonage:PrivateKey (the PEM text), Vonage:PrivateKeyPath (a PEM file), or Vonage:KeyVault:VaultUri and Vonage:KeyVault:PrivateKeySecretName (an Azure Key Vault secret).");
        }
        else if (sources > 1)
        {
            failures.Add("More than one Vonage private key source configured: set only one of Vonage:PrivateKey, Vonage:PrivateKeyPath, or Vonage:KeyVault:*.");
        }

        if (options.KeyVault.IsConfigured)
        {
            if (options.KeyVault.VaultUri is not { IsAbsoluteUri: true })
            {
                failures.Add("Vonage:KeyVault:VaultUri must be the vault's absolute URL, e.g. https://my-vault.vault.azure.net/.");
            }

            if (string.IsNullOrWhiteSpace(options.KeyVault.PrivateKeySecretName))
            {
                failures.Add("Set Vonage:KeyVault:PrivateKeySecretName to the name of the secret holding the PEM private key.");
            }
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options.Resilience, new ValidationContext(options.Resilience), results, validateAllProperties: true);
        failures.AddRange(results.Select(r => r.ErrorMessage ?? "Invalid Vonage:Resilience setting."));
        if (options.Resilience.AttemptTimeout > options.Resilience.TotalTimeout)
        {
            failures.Add("Vonage:Resilience:AttemptTimeout must not exceed Vonage:Resilience:TotalTimeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
