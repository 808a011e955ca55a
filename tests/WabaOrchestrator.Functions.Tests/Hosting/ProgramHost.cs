using System.Reflection;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaOrchestrator.Functions.Hosting;

namespace WabaOrchestrator.Functions.Tests.Hosting;

/// <summary>
/// The Functions host as <c>Program</c> builds it (<see cref="FunctionsHost.ConfigureWabaFunctions"/>) over test
/// settings, built but not started. Building needs no Functions host process and no environment variables; starting
/// would dial that process over gRPC at <c>Functions:Worker:HostEndpoint</c>, which only it passes to the worker.
/// </summary>
internal static class ProgramHost
{
    /// <summary>Tests that swap the process's entry assembly run alone (see <see cref="Build"/>).</summary>
    public const string Collection = "Entry assembly";

    public static IHost Build(IReadOnlyDictionary<string, string?>? settings = null)
    {
        // The worker finds the source-generated parts of a function app (the Durable Task extension's startup, the
        // generated function metadata provider and executor) on Assembly.GetEntryAssembly(), which under test is the
        // test host. Making the Functions assembly the entry assembly while the host is built runs them as in Azure.
        var testHost = Assembly.GetEntryAssembly();
        Assembly.SetEntryAssembly(typeof(FunctionsHost).Assembly);
        try
        {
            var builder = FunctionsApplication.CreateBuilder([]);
            builder.Configuration.AddInMemoryCollection(FunctionsTestServices.Settings());
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
            builder.ConfigureWabaFunctions();
            return builder.Build();
        }
        finally
        {
            Assembly.SetEntryAssembly(testHost);
        }
    }
}

[CollectionDefinition(ProgramHost.Collection, DisableParallelization = true)]
public sealed class EntryAssemblyCollection;
