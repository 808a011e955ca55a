using System.Text.Json.Nodes;
using WabaOrchestrator.Deployment.Tests.Infrastructure;
using static WabaOrchestrator.Deployment.Tests.Infra.ArmTemplate;

namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>The settings of the compiled infra/main.bicep that decide whether the app runs, and runs safely.</summary>
public sealed class MainTemplateTests(MainTemplate main) : IClassFixture<MainTemplate>
{
    // Built-in role definition ids (the same in every tenant).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private ArmTemplate FunctionApp => main.Template.Module("functionapp").Template;

    [Fact]
    public void Plan_IsFlexConsumptionFC1_OnLinux()
    {
        var plan = FunctionApp.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);
    }

    [Fact]
    public void Site_RunsDotnetIsolated10_HttpsOnly_Tls12_AsTheUserAssignedIdentity()
    {
        var site = FunctionApp.Single("Microsoft.Web/sites");
        var properties = site["properties"]!;
        var runtime = properties["functionAppConfig"]!["runtime"]!;

        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal("10.0", (string?)runtime["version"]);
        Assert.True((bool)properties["httpsOnly"]!);
        Assert.Equal("1.2", (string?)properties["siteConfig"]!["minTlsVersion"]);
        Assert.Equal("Disabled", (string?)properties["siteConfig"]!["ftpsState"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
    }

    [Fact]
    public void DeploymentPackage_IsWrittenWithTheAppsIdentity_NotAKey()
    {
        var storage = FunctionApp.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;

        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal(Parameter("identityId"), (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
    }

    [Fact]
    public void DurableGroup_HasAnAlwaysReadyInstance_ByDefault()
    {
        var (parameters, template) = main.Template.Module("functionapp");
        var alwaysReady = template.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["alwaysReady"]!.AsArray();

        var durable = Assert.Single(alwaysReady)!;
        Assert.Equal("durable", (string?)durable["name"]);
        Assert.Equal(Parameter("durableAlwaysReadyInstanceCount"), (string?)durable["instanceCount"]);
        Assert.Equal(Parameter("durableAlwaysReadyInstanceCount"), (string?)parameters["durableAlwaysReadyInstanceCount"]!["value"]);
        Assert.Equal(1, (int)main.Template.Parameters["durableAlwaysReadyInstanceCount"]!["defaultValue"]!);
    }

    [Fact]
    public void Storage_RefusesSharedKeys_PublicBlobs_PlainHttp_AndOldTls()
    {
        var properties = main.Template.Module("storage").Template.Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.False((bool)properties["allowBlobPublicAccess"]!);
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
    }

    [Fact]
    public void KeyVault_UsesRbac_NotAccessPolicies_AndKeepsThePemDecodedFromBase64()
    {
        var keyVault = main.Template.Module("keyvault").Template;
        var vault = keyVault.Single("Microsoft.KeyVault/vaults")["properties"]!;
        var privateKey = Assert.Single(keyVault.ResourcesOfType("Microsoft.KeyVault/vaults/secrets"), s => ((string?)s["name"])!.Contains("'vonage-private-key'", StringComparison.Ordinal));

        Assert.True((bool)vault["enableRbacAuthorization"]!);
        Assert.Null(vault["accessPolicies"]);
        Assert.Equal("[base64ToString(parameters('vonagePrivateKeyBase64'))]", (string?)privateKey["properties"]!["value"]);
        Assert.Equal("securestring", (string?)main.Template.Parameters["vonagePrivateKeyBase64"]!["type"]);
    }

    [Fact]
    public void ApplicationInsights_RefusesKeys_TheAppSendsWithItsIdentity()
    {
        var components = main.Template.Module("monitoring").Template.Single("Microsoft.Insights/components");
        var settings = AppSettings();

        Assert.True((bool)components["properties"]!["DisableLocalAuth"]!);
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void AzureWebJobsStorage_IsIdentityBased_WithTheAppsClientId()
    {
        var settings = AppSettings();

        Assert.Equal(Parameter("storageAccountName"), settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal(Parameter("identityClientId"), settings["AzureWebJobsStorage__clientId"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain(settings.Values, v => v?.Contains("AccountKey", StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public void KeyVault_IsReadWithTheAppsManagedIdentityClientId()
    {
        var settings = AppSettings();

        Assert.Equal(Parameter("keyVaultUri"), settings["KeyVault__VaultUri"]);
        Assert.Equal(Parameter("identityClientId"), settings["KeyVault__ManagedIdentityClientId"]);
        Assert.Contains("outputs.clientId.value", (string?)main.Template.Module("functionapp").Parameters["identityClientId"]!["value"], StringComparison.Ordinal);
    }

    [Fact]
    public void DurableTaskHub_IsNamedByTheSettingHostJsonReads()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Repository.PathOf("host.json")))!;
        var durableTask = hostJson["extensions"]!["durableTask"]!;

        Assert.Equal("%DurableTaskHubName%", (string?)durableTask["hubName"]);
        Assert.Equal("AzureWebJobsStorage", (string?)durableTask["storageProvider"]!["connectionName"]);
        Assert.Equal(Parameter("taskHubName"), AppSettings()["DurableTaskHubName"]);
    }

    [Fact]
    public void AppsIdentity_GetsDataRolesOnly_AndTheDeployerOnlyManagesSecrets()
    {
        var roles = main.Template.Module("roles").Template;
        var assignments = roles.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .SelectMany(a => VariablesIn((string?)a["properties"]!["roleDefinitionId"]).Select(v => (
                Principal: (string)a["properties"]!["principalId"]!,
                Role: (string)roles.Variables[v]!,
                Scope: ScopeType((string)a["scope"]!))))
            .ToList();

        Assert.Equal(
            [
                (Parameter("identityPrincipalId"), StorageBlobDataOwner, "Microsoft.Storage/storageAccounts"),
                (Parameter("identityPrincipalId"), StorageQueueDataContributor, "Microsoft.Storage/storageAccounts"),
                (Parameter("identityPrincipalId"), StorageTableDataContributor, "Microsoft.Storage/storageAccounts"),
                (Parameter("identityPrincipalId"), KeyVaultSecretsUser, "Microsoft.KeyVault/vaults"),
                (Parameter("identityPrincipalId"), MonitoringMetricsPublisher, "Microsoft.Insights/components"),
                (Parameter("deployerPrincipalId"), KeyVaultSecretsOfficer, "Microsoft.KeyVault/vaults"),
            ],
            assignments);
    }

    [Fact]
    public void Location_IsLimitedToFlexConsumptionRegions_AndAzdPromptsForIt()
    {
        var location = main.Template.Parameters["location"]!;
        var allowed = location["allowedValues"]!.AsArray().Select(v => (string)v!).ToList();

        Assert.Contains("westeurope", allowed);
        Assert.Contains("eastus", allowed);
        Assert.DoesNotContain("westindia", allowed);
        Assert.All(allowed, region => Assert.Matches("^[a-z0-9]+$", region));
        Assert.Equal("location", (string?)location["metadata"]!["azd"]!["type"]);
    }

    [Fact]
    public void ParametersFile_NamesOnlyTemplateParameters_AndEveryRequiredOne()
    {
        var file = JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra", "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = main.Template.Parameters;

        Assert.All(file.Select(p => p.Key), name => Assert.True(declared.ContainsKey(name), $"main.parameters.json sets '{name}', which main.bicep does not declare"));
        Assert.All(
            declared.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key),
            name => Assert.True(file.ContainsKey(name), $"main.bicep's required parameter '{name}' is not in main.parameters.json"));
        Assert.Equal("${VONAGE_PRIVATE_KEY_BASE64=}", (string?)file["vonagePrivateKeyBase64"]!["value"]);
    }

    [Fact]
    public void Outputs_IncludeEveryValueThePostprovisionHookReads()
    {
        var outputs = main.Template.Json["outputs"]!.AsObject();

        Assert.All(
            ["AZURE_KEY_VAULT_NAME", "AZURE_FUNCTION_APP_NAME", "AZURE_RESOURCE_GROUP", "AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID"],
            name => Assert.True(outputs.ContainsKey(name), $"main.bicep has no output {name}"));
    }

    private Dictionary<string, string?> AppSettings() =>
        FunctionApp.Single("Microsoft.Web/sites/config")["properties"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value);

    private static string ScopeType(string scope) => scope.Split('\'')[1];
}
