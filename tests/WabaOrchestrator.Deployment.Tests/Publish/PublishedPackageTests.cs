using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using WabaOrchestrator.Deployment.Tests.Infrastructure;
using WabaOrchestrator.Functions.Hosting;
using Xunit.Abstractions;

namespace WabaOrchestrator.Deployment.Tests.Publish;

/// <summary>The Release publish output holds everything the Functions host on Flex Consumption loads.</summary>
public sealed class PublishedPackageTests(PublishedPackage package, ITestOutputHelper output) : IClassFixture<PublishedPackage>
{
    private const string DurableExtensionAssembly = "Microsoft.Azure.WebJobs.Extensions.DurableTask.dll";

    [Fact]
    public void Publish_Succeeds_WithTheFilesAzdDeployShips()
    {
        output.WriteLine($"dotnet publish -c Release took {package.Result.Elapsed.TotalSeconds:F0} s");
        Assert.True(package.Result.Succeeded, package.Result.ToString());

        Assert.True(File.Exists(package.PathOf("functions.metadata")), "functions.metadata is missing");
        Assert.True(File.Exists(package.PathOf("worker.config.json")), "worker.config.json is missing");
        Assert.True(File.Exists(package.PathOf("host.json")), "host.json is missing");
        Assert.True(File.Exists(package.PathOf("extensions.json")), "extensions.json is missing");
        Assert.True(Directory.Exists(package.PathOf(".azurefunctions")), ".azurefunctions/ is missing");
        Assert.False(File.Exists(package.PathOf("local.settings.json")), "local.settings.json must never be published");
    }

    [Fact]
    public void PublishedHostJson_IsTheRepositorysOne()
    {
        Assert.True(package.Result.Succeeded, package.Result.ToString());

        Assert.Equal(File.ReadAllText(Repository.PathOf("host.json")), File.ReadAllText(package.PathOf("host.json")));
    }

    [Fact]
    public void FunctionsMetadata_ListsEveryFunctionOfTheAssembly_WithItsTrigger()
    {
        Assert.True(package.Result.Succeeded, package.Result.ToString());
        var published = JsonNode.Parse(File.ReadAllText(package.PathOf("functions.metadata")))!.AsArray()
            .ToDictionary(f => (string)f!["name"]!, f => Trigger(f!));

        // The trigger each [Function] method declares: its parameter's *TriggerAttribute, named as the metadata names it.
        var declared = typeof(KeyVaultSecrets).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .ToDictionary(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, DeclaredTrigger);

        Assert.Equal(declared.OrderBy(f => f.Key, StringComparer.Ordinal), published.OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.Equal("orchestrationTrigger", published["OnboardingOrchestrator"]);
        Assert.Equal(8, published.Count(f => f.Value == "activityTrigger"));
        Assert.Equal("httpTrigger", published["StartOnboarding"]);
        Assert.Equal("httpTrigger", published["InboundSms"]);
    }

    [Fact]
    public void AzureFunctionsFolder_HoldsTheDurableTaskExtension_AndExtensionsJsonLoadsIt()
    {
        Assert.True(package.Result.Succeeded, package.Result.ToString());
        Assert.True(File.Exists(package.PathOf(".azurefunctions", DurableExtensionAssembly)), $".azurefunctions/{DurableExtensionAssembly} is missing");

        var extensions = JsonNode.Parse(File.ReadAllText(package.PathOf("extensions.json")))!["extensions"]!.AsArray();
        var durable = Assert.Single(extensions, e => (string?)e!["name"] == "DurableTask")!;

        Assert.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.", (string)durable["typeName"]!, StringComparison.Ordinal);
        Assert.Equal($"./.azurefunctions/{DurableExtensionAssembly}", (string?)durable["hintPath"]);
    }

    [Fact]
    public void WorkerConfig_StartsTheIsolatedWorkerFromThePublishedAssembly()
    {
        Assert.True(package.Result.Succeeded, package.Result.ToString());
        var description = JsonNode.Parse(File.ReadAllText(package.PathOf("worker.config.json")))!["description"]!;

        Assert.Equal("dotnet-isolated", (string?)description["language"]);
        Assert.Equal("dotnet", (string?)description["defaultExecutablePath"]);
        Assert.Equal("WabaOrchestrator.Functions.dll", (string?)description["defaultWorkerPath"]);
        Assert.True(File.Exists(package.PathOf("WabaOrchestrator.Functions.dll")));
        Assert.True(File.Exists(package.PathOf("WabaOrchestrator.Functions.runtimeconfig.json")));
    }

    private static string DeclaredTrigger(MethodInfo method)
    {
        var name = method.GetParameters().SelectMany(p => p.GetCustomAttributes()).Select(a => a.GetType().Name)
            .Single(n => n.EndsWith("TriggerAttribute", StringComparison.Ordinal));
        return char.ToLowerInvariant(name[0]) + name[1..^"Attribute".Length];
    }

    private static string Trigger(JsonNode function) =>
        function["bindings"]!.AsArray().Select(b => (string)b!["type"]!).Single(t => t.EndsWith("Trigger", StringComparison.Ordinal));
}
