using static WabaOrchestrator.Deployment.Tests.Infra.ArmTemplate;

namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>
/// The hardening the security review asked of the compiled infra/main.bicep: a vault whose secrets cannot be purged,
/// no basic publishing credentials, the used-webhook-token container swept by a lifecycle rule, and private networking
/// as an opt-in that turns public access off where it turns the private endpoints on.
/// </summary>
public sealed class HardeningTemplateTests(MainTemplate main) : IClassFixture<MainTemplate>
{
    private const string ExpectedPublicAccess = "[variables('publicNetworkAccess')]";

    [Fact]
    public void KeyVault_HasPurgeProtection_AndKeepsDeletedSecrets90Days()
    {
        var vault = main.Template.Module("keyvault").Template.Single("Microsoft.KeyVault/vaults")["properties"]!;

        Assert.True((bool)vault["enableSoftDelete"]!);
        Assert.True((bool)vault["enablePurgeProtection"]!);
        Assert.Equal(90, (int)vault["softDeleteRetentionInDays"]!);
    }

    [Fact]
    public void FunctionApp_RefusesBasicPublishingCredentials_ForScmAndFtp()
    {
        var policies = main.Template.Module("functionapp").Template.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(["[format('{0}/{1}', parameters('name'), 'ftp')]", "[format('{0}/{1}', parameters('name'), 'scm')]"], policies.Select(p => (string)p["name"]!).Order());
        Assert.All(policies, p => Assert.False((bool)p["properties"]!["allow"]!));
    }

    [Fact]
    public void WebhookTokens_HaveTheirContainer_AndALifecycleRuleDeletesThemAfterADay()
    {
        var storage = main.Template.Module("storage");
        var rule = Assert.Single(storage.Template.Single("Microsoft.Storage/storageAccounts/managementPolicies")["properties"]!["policy"]!["rules"]!.AsArray())!;
        var containers = storage.Template.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => (string)c["name"]!);

        Assert.Equal("webhook-tokens", (string?)main.Template.Variables["webhookTokenContainerName"]);
        Assert.Equal("[variables('webhookTokenContainerName')]", (string?)storage.Parameters["webhookTokenContainerName"]!["value"]);
        Assert.Contains(containers, name => name.Contains(Parameter("webhookTokenContainerName")[1..^1], StringComparison.Ordinal));
        Assert.Equal("[format('{0}/', parameters('webhookTokenContainerName'))]", (string?)Assert.Single(rule["definition"]!["filters"]!["prefixMatch"]!.AsArray()));
        Assert.Equal(1, (int)rule["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]!);
    }

    [Fact]
    public void PrivateNetworking_IsOffByDefault_AndDecidesPublicAccessOfStorageAndKeyVault()
    {
        var parameter = main.Template.Parameters["privateNetworking"]!;

        Assert.Equal("bool", (string?)parameter["type"]);
        Assert.False((bool)parameter["defaultValue"]!);
        Assert.Equal("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", (string?)main.Template.Variables["publicNetworkAccess"]);
        foreach (var (module, type) in new[] { ("storage", "Microsoft.Storage/storageAccounts"), ("keyvault", "Microsoft.KeyVault/vaults") })
        {
            var (parameters, template) = main.Template.Module(module);
            var properties = template.Single(type)["properties"]!;
            Assert.Equal(ExpectedPublicAccess, (string?)parameters["publicNetworkAccess"]!["value"]);
            Assert.Equal(Parameter("publicNetworkAccess"), (string?)properties["publicNetworkAccess"]);
            Assert.Equal("[if(equals(parameters('publicNetworkAccess'), 'Enabled'), 'Allow', 'Deny')]", (string?)properties["networkAcls"]!["defaultAction"]);
            Assert.Equal("Enabled", (string?)template.Parameters["publicNetworkAccess"]!["defaultValue"]);
        }
    }

    [Fact]
    public void PrivateNetworking_DeploysTheNetwork_OnlyWhenOn_AndTheAppJoinsItsDelegatedSubnet()
    {
        var network = Assert.Single(main.Template.ResourcesOfType("Microsoft.Resources/deployments"), d => (string?)d["name"] == "network");
        var (appParameters, app) = main.Template.Module("functionapp");
        var site = app.Single("Microsoft.Web/sites")["properties"]!;

        Assert.Equal(Parameter("privateNetworking"), (string?)network["condition"]);
        // Bicep compiles a conditional module output into a conditional parameter object: the network's subnet when on.
        var subnet = (string)appParameters["appSubnetId"]!;
        Assert.StartsWith("[if(parameters('privateNetworking'), createObject('value', reference(", subnet, StringComparison.Ordinal);
        Assert.Contains("'Microsoft.Resources/deployments', 'network'", subnet, StringComparison.Ordinal);
        Assert.EndsWith(".outputs.appSubnetId.value), createObject('value', ''))]", subnet, StringComparison.Ordinal);
        Assert.Equal("[if(empty(parameters('appSubnetId')), null(), parameters('appSubnetId'))]", (string?)site["virtualNetworkSubnetId"]);

        var subnets = main.Template.Module("network").Template.Single("Microsoft.Network/virtualNetworks")["properties"]!["subnets"]!.AsArray();
        var appSubnet = Assert.Single(subnets, s => (string?)s!["name"] == "app")!;
        Assert.Equal("Microsoft.App/environments", (string?)Assert.Single(appSubnet["properties"]!["delegations"]!.AsArray())!["properties"]!["serviceName"]);
        Assert.Contains(subnets, s => (string?)s!["name"] == "private-endpoints");
    }

    [Fact]
    public void PrivateNetworking_GivesBlobQueueTableAndVault_APrivateEndpointAndDnsZoneEach()
    {
        var network = main.Template.Module("network").Template;
        var endpoints = network.Variables["endpoints"]!.AsArray().Select(e => (Name: (string)e!["name"]!, Zone: (string)e["zone"]!, Target: (string)e["target"]!)).ToList();

        Assert.Equal(["blob", "queue", "table", "vault"], endpoints.Select(e => e.Name));
        Assert.All(endpoints.Where(e => e.Name != "vault"), e => Assert.Contains("Microsoft.Storage/storageAccounts", e.Target, StringComparison.Ordinal));
        Assert.Contains("Microsoft.KeyVault/vaults", endpoints.Single(e => e.Name == "vault").Target, StringComparison.Ordinal);
        Assert.Equal("privatelink.vaultcore.azure.net", endpoints.Single(e => e.Name == "vault").Zone);
        Assert.All(endpoints.Where(e => e.Name != "vault"), e => Assert.Equal($"[format('privatelink.{e.Name}.{{0}}', environment().suffixes.storage)]", e.Zone));

        // One of each per endpoint: the zones, their links to the network, the endpoints and the zone groups that register them.
        foreach (var type in new[] { "Microsoft.Network/privateDnsZones", "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "Microsoft.Network/privateEndpoints", "Microsoft.Network/privateEndpoints/privateDnsZoneGroups" })
        {
            var copy = network.Single(type)["copy"]!;
            Assert.Equal("[length(variables('endpoints'))]", (string?)copy["count"]);
        }

        var connection = Assert.Single(network.Single("Microsoft.Network/privateEndpoints")["properties"]!["privateLinkServiceConnections"]!.AsArray())!;
        Assert.Equal("[variables('endpoints')[copyIndex()].name]", (string?)Assert.Single(connection["properties"]!["groupIds"]!.AsArray()));
    }
}
