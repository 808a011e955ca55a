using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WabaOrchestrator.Api.Proxies;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Deployment.Tests.Infrastructure;
using WabaOrchestrator.Functions.Hosting;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Onboarding.Secrets;
using WabaOrchestrator.Vonage.Configuration;

namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>
/// local.settings.json.example's Values is the one list of the settings the Functions host reads; the settings it
/// cannot run without come from the code, and Azure must supply each (an app setting, a vault secret, or the platform).
/// </summary>
public sealed partial class AppSettingsTests(MainTemplate main) : IClassFixture<MainTemplate>
{
    /// <summary>The configuration sections the Functions host binds to options classes.</summary>
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [VonageOptions.SectionName] = typeof(VonageOptions),
        [OnboardingOptions.SectionName] = typeof(OnboardingOptions),
        [SecretProtectionOptions.SectionName] = typeof(SecretProtectionOptions),
        [WebhookOptions.SectionName] = typeof(WebhookOptions),
        [ProxyOptions.SectionName] = typeof(ProxyOptions),
    };

    /// <summary>Settings Flex Consumption supplies in another form than a plain app setting.</summary>
    private static readonly string[] PlatformSettings = ["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"];

    private static readonly JsonObject LocalValues =
        JsonNode.Parse(File.ReadAllText(Repository.PathOf("local.settings.json.example")))!["Values"]!.AsObject();

    private ArmTemplate FunctionApp => main.Template.Module("functionapp").Template;

    /// <summary>What the host cannot start or work without, read from the code, in app-setting form (<c>A__B</c>).</summary>
    private static IEnumerable<string> RequiredSettings()
    {
        var hostJson = File.ReadAllText(Repository.PathOf("host.json"));
        var fromHostJson = HostJsonSetting().Matches(hostJson).Select(m => m.Groups[1].Value)
            .Append((string)JsonNode.Parse(hostJson)!["extensions"]!["durableTask"]!["storageProvider"]!["connectionName"]!);
        var fromKeyVault = KeyVaultSecrets.Secrets.Values.Append(KeyVaultSecrets.VaultUriKey).Append(KeyVaultSecrets.ManagedIdentityClientIdKey);
        var requiredOptions = typeof(VonageOptions).GetProperties()
            .Where(p => p.GetCustomAttribute<RequiredAttribute>() is not null)
            .Select(p => $"{VonageOptions.SectionName}:{p.Name}");

        return fromHostJson.Concat(fromKeyVault).Concat(requiredOptions).Append("FUNCTIONS_WORKER_RUNTIME")
            .Select(key => key.Replace(":", "__", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
    }

    [Fact]
    public void LocalSettingsExample_ListsEverySettingTheHostNeeds()
    {
        var missing = RequiredSettings().Where(key => !LocalValues.ContainsKey(key)).ToList();

        Assert.True(missing.Count == 0, $"local.settings.json.example's Values lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public void LocalSettingsExample_NamesOnlySettingsTheCodeReads()
    {
        var required = RequiredSettings().ToHashSet(StringComparer.Ordinal);

        var unknown = LocalValues.Select(v => v.Key).Where(key => !required.Contains(key) && !IsOptionsProperty(key)).ToList();

        Assert.True(unknown.Count == 0, $"local.settings.json.example names settings nothing binds: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void EverySettingTheHostNeeds_IsSuppliedInAzure()
    {
        var appSettings = FunctionApp.Single("Microsoft.Web/sites/config")["properties"]!.AsObject();
        var fromVault = KeyVaultSecrets.Secrets.Values.Select(k => k.Replace(":", "__", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

        var unsupplied = RequiredSettings()
            .Where(key => !appSettings.ContainsKey(key) && !fromVault.Contains(key) && !PlatformSettings.Contains(key))
            .ToList();

        Assert.True(unsupplied.Count == 0, $"Not set in Azure (infra/modules/functionapp.bicep app settings, the vault, or the platform): {string.Join(", ", unsupplied)}");
    }

    [Fact]
    public void PlatformSettings_AreSuppliedByFlexConsumption_NotAsAppSettings()
    {
        var site = FunctionApp.Single("Microsoft.Web/sites");
        var appSettings = FunctionApp.Single("Microsoft.Web/sites/config")["properties"]!.AsObject();

        // Flex Consumption refuses FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION as app settings.
        Assert.Equal((string?)LocalValues["FUNCTIONS_WORKER_RUNTIME"], (string?)site["properties"]!["functionAppConfig"]!["runtime"]!["name"]);
        Assert.False(appSettings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"));
        Assert.False(appSettings.ContainsKey("FUNCTIONS_EXTENSION_VERSION"));
        Assert.True(appSettings.ContainsKey("AzureWebJobsStorage__accountName"));
    }

    [Fact]
    public void VaultSecretsTheAppReads_AreTheOnesTheTemplateWrites()
    {
        var written = main.Template.Module("keyvault").Template.ResourcesOfType("Microsoft.KeyVault/vaults/secrets")
            .Select(s => ((string)s["name"]!).Split('\'')[^2])
            .Order(StringComparer.Ordinal);

        Assert.Equal(KeyVaultSecrets.Secrets.Keys.Order(StringComparer.Ordinal), written);
    }

    /// <summary>Whether <c>Section__Property__Nested</c> is a property of the options class bound to the section.</summary>
    private static bool IsOptionsProperty(string key)
    {
        var path = key.Split("__");
        if (path.Length < 2 || !Sections.TryGetValue(path[0], out var type))
        {
            return false;
        }

        foreach (var name in path[1..])
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    [GeneratedRegex("%(\\w+)%")]
    private static partial Regex HostJsonSetting();
}
