using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Hosting;
using WabaOrchestrator.Functions.Http;
using WabaOrchestrator.Functions.Tests.Http;

namespace WabaOrchestrator.Functions.Tests.Hosting;

/// <summary>
/// The <c>functions.metadata</c> the Worker SDK generates at build time, which the Functions host reads to index the
/// app, checked against the local host's route table and the onboarding's registered tasks, so the two hosts cannot
/// drift. The SDK adds the file to the Functions project's copy-to-output items, so the build copies it next to the
/// referenced Functions assembly in this project's output, whatever the configuration or ArtifactsPath.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Assembly Functions = typeof(FunctionsHost).Assembly;
    private static readonly IReadOnlyList<FunctionEntry> Metadata = FunctionsMetadataFile.Read();

    [Fact]
    public void Metadata_IsTheFunctionsAssemblys_ListingEveryFunctionItDeclares()
    {
        var declared = Functions.GetTypes().SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name).OfType<string>().Order();

        Assert.All(Metadata, f => Assert.Equal(Path.GetFileName(Functions.Location), f.ScriptFile));
        Assert.Equal(declared, Metadata.Select(f => f.Name).Order());
    }

    [Fact]
    public void EveryFunction_HasOneTrigger_OnTheMethodThatDeclaresItsName()
    {
        foreach (var function in Metadata)
        {
            Assert.Single(function.Bindings, b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));
            Assert.Equal(function.Name, EntryPoint(function).GetCustomAttribute<FunctionAttribute>()?.Name);
        }
    }

    [Fact]
    public void HttpFunctions_ServeExactlyTheLocalRouteTableAndTheDashboard_WithTheirKeyRequirement()
    {
        // "METHOD /api/route auth": a route missing or extra on either side, another method or key level, fails.
        // The dashboard (the local host's page at /) is the one deliberate extra, behind the key like the API.
        var anonymous = LocalApi.AnonymousRoutes();
        var local = LocalApi.Routes()
            .SelectMany(r => r.Methods.Select(m => $"{m} {r.Path}"))
            .Select(route => $"{route} {(anonymous.Contains(route) ? "Anonymous" : "Function")}")
            .Append("GET /api/dashboard/{*file} Function")
            .Order()
            .ToList();
        var functions = Metadata
            .Select(f => f.Bindings.SingleOrDefault(b => b.Type == "httpTrigger"))
            .OfType<Binding>()
            .SelectMany(t => t.Methods!.Select(m => $"{m.ToUpperInvariant()} {LocalApi.Normalize("/api/" + t.Route)} {t.AuthLevel}"))
            .Order()
            .ToList();

        Assert.NotEmpty(local);
        Assert.Contains(local, r => r.EndsWith(" Anonymous", StringComparison.Ordinal));
        Assert.Equal(local, functions);
        Assert.Equal("GET", Assert.Single(Metadata, f => f.Name == DashboardTrigger.Name).Bindings.Single(b => b.Type == "httpTrigger").Methods!.Single().ToUpperInvariant());
    }

    [Fact]
    public void HttpFunctions_AnswerThroughTheirReturnValue()
    {
        foreach (var function in Metadata.Where(f => f.Bindings.Any(b => b.Type == "httpTrigger")))
        {
            Assert.Contains(function.Bindings, b => b is { Name: "$return", Type: "http", Direction: "Out" });
        }
    }

    [Fact]
    public void DurableFunctions_AreTheRegisteredOrchestratorAndActivities_ByName()
    {
        var registered = FunctionsTestServices.Collection()
            .Select(d => d.ImplementationInstance)
            .OfType<TaskRegistration>()
            .ToList();
        string[] Named(TaskKind kind) => [.. registered.Where(r => r.Kind == kind).Select(r => r.Name).Order()];
        string[] Triggered(string type) => [.. Metadata.Where(f => f.Bindings.Any(b => b.Type == type)).Select(f => f.Name).Order()];

        Assert.Equal([nameof(Onboarding.OnboardingOrchestrator)], Named(TaskKind.Orchestrator));
        Assert.Equal(Named(TaskKind.Orchestrator), Triggered("orchestrationTrigger"));
        Assert.NotEmpty(Named(TaskKind.Activity));
        Assert.Equal(Named(TaskKind.Activity), Triggered("activityTrigger"));
        Assert.Equal(Metadata.Count, Named(TaskKind.Orchestrator).Length + Named(TaskKind.Activity).Length + Triggered("httpTrigger").Length);
    }

    private static MethodInfo EntryPoint(FunctionEntry function)
    {
        var split = function.EntryPoint.LastIndexOf('.');
        var type = Functions.GetType(function.EntryPoint[..split], throwOnError: true)!;
        return type.GetMethod(function.EntryPoint[(split + 1)..])
            ?? throw new InvalidOperationException($"{function.Name}: no method {function.EntryPoint}.");
    }
}
