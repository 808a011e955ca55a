using System.Runtime.Versioning;
using System.Security.Cryptography;
using WabaOrchestrator.Deployment.Tests.Infrastructure;
using WabaOrchestrator.Functions.Hosting;

namespace WabaOrchestrator.Deployment.Tests.Hooks;

/// <summary>azure.yaml's postprovision hook: declared for both platforms, valid, and it tells what is left to set.</summary>
[UnsupportedOSPlatform("windows")] // runs the POSIX hook with sh
public sealed class PostprovisionHookTests : IDisposable
{
    private static readonly string Script = Repository.PathOf("infra", "hooks", "postprovision.sh");

    // Only the tools the hook needs, so an `az` or `azd` installed on this machine is never called by a test.
    private readonly string _bin = Directory.CreateTempSubdirectory("waba-hook-bin-").FullName;

    public PostprovisionHookTests()
    {
        foreach (var tool in new[] { "grep", "sleep" })
        {
            File.CreateSymbolicLink(Path.Combine(_bin, tool), Which(tool));
        }
    }

    [Fact]
    public void AzureYaml_RunsThePostprovisionHook_OnPosixAndWindows_AndTheScriptsExist()
    {
        var yaml = File.ReadAllLines(Repository.PathOf("azure.yaml"));
        var runs = yaml.Select(l => l.Trim()).Where(l => l.StartsWith("run: ", StringComparison.Ordinal)).Select(l => l["run: ".Length..]).ToList();

        Assert.Contains("hooks:", yaml);
        Assert.Contains("  postprovision:", yaml);
        Assert.Equal(["./infra/hooks/postprovision.sh", "./infra/hooks/postprovision.ps1"], runs);
        Assert.All(runs, run => Assert.True(File.Exists(Repository.PathOf(run[2..])), $"{run} does not exist"));
    }

    [Theory]
    [InlineData("postprovision.sh")]
    [InlineData("postprovision.ps1")]
    public void BothHooks_NameEveryRequiredVaultSecret_AndTheSameAzdSettings(string hook)
    {
        var text = File.ReadAllText(Repository.PathOf("infra", "hooks", hook));
        // The callback signing secret is optional: callbacks stay off without it.
        var required = KeyVaultSecrets.Secrets.Keys.Where(name => name != "callback-signing-secret");

        Assert.All(required, secret => Assert.Contains($"--name {secret}", text, StringComparison.Ordinal));
        Assert.All(
            ["VONAGE_APPLICATION_ID", "VONAGE_PRIVATE_KEY_BASE64", "VONAGE_SIGNATURE_SECRET", "SECRET_PROTECTION_KEY", "AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID", "AZD_ROLE_PROPAGATION_WAIT_SECONDS", "AZD_ROLES_PROPAGATED_FOR", "AZURE_PRIVATE_NETWORKING"],
            setting => Assert.Contains(setting, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PosixHook_IsExecutable_AndValidSh()
    {
        var result = await CommandLine.RunAsync("sh", ["-n", Script], TimeSpan.FromSeconds(30));

        Assert.True((File.GetUnixFileMode(Script) & UnixFileMode.UserExecute) != 0, "infra/hooks/postprovision.sh is not executable");
        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task WithSecretsUnset_PrintsTheExactCommandsToSetThem_AndNoSecret()
    {
        var signatureSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

        var result = await RunHookAsync(new() { ["VONAGE_SIGNATURE_SECRET"] = signatureSecret });

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("azd env set VONAGE_APPLICATION_ID <your Vonage application id>", result.Output, StringComparison.Ordinal);
        Assert.Contains("az keyvault secret set --vault-name kv-test --name vonage-private-key --file private.key", result.Output, StringComparison.Ordinal);
        Assert.Contains("az keyvault secret set --vault-name kv-test --name secret-protection-key --value \"$(openssl rand -base64 32)\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("az functionapp restart --name func-test --resource-group rg-test", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--name vonage-signature-secret", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(signatureSecret, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("waiting", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithPrivateNetworking_AndSecretsUnset_SaysTheVaultOnlyAnswersInsideTheNetwork()
    {
        var without = await RunHookAsync(new());
        var with = await RunHookAsync(new() { ["AZURE_PRIVATE_NETWORKING"] = "true" });

        Assert.True(with.Succeeded, with.ToString());
        Assert.Contains("Private networking is on: the vault refuses requests from outside its network", with.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Private networking", without.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithEverythingSet_AndTheIdentityWaitedForBefore_SaysNothing()
    {
        var result = await RunHookAsync(new()
        {
            ["VONAGE_APPLICATION_ID"] = "00000000-0000-0000-0000-000000000001",
            ["VONAGE_PRIVATE_KEY_BASE64"] = "LS0tLS1CRUdJTg==",
            ["VONAGE_SIGNATURE_SECRET"] = "s",
            ["SECRET_PROTECTION_KEY"] = "k",
        });

        Assert.True(result.Succeeded, result.ToString());
        Assert.True(string.IsNullOrWhiteSpace(result.Output), result.ToString());
    }

    [Fact]
    public async Task ANewIdentity_IsGivenTimeForItsRolesToPropagate_BeforeTheFirstDeploy()
    {
        var result = await RunHookAsync(new()
        {
            ["VONAGE_APPLICATION_ID"] = "00000000-0000-0000-0000-000000000001",
            ["VONAGE_PRIVATE_KEY_BASE64"] = "LS0tLS1CRUdJTg==",
            ["VONAGE_SIGNATURE_SECRET"] = "s",
            ["SECRET_PROTECTION_KEY"] = "k",
            ["AZD_ROLES_PROPAGATED_FOR"] = "an-identity-of-an-earlier-environment",
            ["AZD_ROLE_PROPAGATION_WAIT_SECONDS"] = "1",
        });

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("waiting 1s for the new role assignments of the app's identity to propagate", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    private Task<CommandResult> RunHookAsync(Dictionary<string, string?> values)
    {
        // What azd passes: the environment's values and main.bicep's outputs; everything else explicitly unset.
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = _bin,
            ["AZURE_KEY_VAULT_NAME"] = "kv-test",
            ["AZURE_FUNCTION_APP_NAME"] = "func-test",
            ["AZURE_RESOURCE_GROUP"] = "rg-test",
            ["AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID"] = "11111111-1111-1111-1111-111111111111",
            ["AZD_ROLES_PROPAGATED_FOR"] = "11111111-1111-1111-1111-111111111111",
            ["AZD_ROLE_PROPAGATION_WAIT_SECONDS"] = null,
            ["VONAGE_APPLICATION_ID"] = null,
            ["VONAGE_PRIVATE_KEY_BASE64"] = null,
            ["VONAGE_SIGNATURE_SECRET"] = null,
            ["SECRET_PROTECTION_KEY"] = null,
        };
        foreach (var (name, value) in values)
        {
            environment[name] = value;
        }

        return CommandLine.RunAsync(Which("sh"), [Script], TimeSpan.FromSeconds(60), environment: environment);
    }

    private static string Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} is not on PATH");
}
