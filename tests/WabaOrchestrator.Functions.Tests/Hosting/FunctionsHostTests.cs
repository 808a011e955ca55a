using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Azure.Functions.Worker.Invocation;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Hosting;

namespace WabaOrchestrator.Functions.Tests.Hosting;

[Collection(ProgramHost.Collection)]
public sealed class FunctionsHostTests
{
    [Fact]
    public void ProgramConfiguration_PassesItsStartValidation_OnSettingsWithoutAzure()
    {
        using var host = ProgramHost.Build();

        // What the host's start runs before anything else: every ValidateOnStart options check (Vonage, secrets, ...).
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void ProgramConfiguration_MasksQueryValuesInTheRequestUrlsTheWorkerLogs()
    {
        // Whatever level an operator sets for request logs, the URL is masked: here the most talkative one, so the
        // test does not depend on an appsettings.json that happens to sit in the test's output directory.
        using var host = ProgramHost.Build(new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace" });
        var factory = host.Services.GetRequiredService<ILoggerFactory>();
        var lines = new List<string>();
        factory.AddProvider(new ListProvider(lines));

        // As ASP.NET Core's hosting diagnostics writes it when the worker serves a request with ?code=<function key>.
        factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation(
            "Request starting {Protocol} {Method} {Url}", "HTTP/1.1", "GET", "http://localhost/api/onboardings?code=function-key-secret-0123");

        var line = Assert.Single(lines);
        Assert.Contains("onboardings?code=***", line, StringComparison.Ordinal);
        Assert.DoesNotContain("function-key-secret-0123", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProgramConfiguration_ActivatesEveryFunctionClassWithItsDependencies_AsTheWorkerDoes()
    {
        // Built with ValidateOnBuild and ValidateScopes: every registration resolvable, no scoped service from the root.
        using var host = ProgramHost.Build();
        await using var invocation = host.Services.CreateAsyncScope();
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.InstanceServices).Returns(invocation.ServiceProvider);
        var activator = host.Services.GetRequiredService<IFunctionActivator>();

        var classes = FunctionClasses().ToList();
        Assert.NotEmpty(classes);
        foreach (var type in classes.Where(t => !(t.IsAbstract && t.IsSealed)))
        {
            Assert.IsType(type, activator.CreateInstance(type, context.Object));
        }

        foreach (var activity in host.Services.GetServices<TaskRegistration>().Where(r => r.Kind == TaskKind.Activity))
        {
            Assert.IsAssignableFrom<IActivity>(invocation.ServiceProvider.GetRequiredService(activity.Type));
        }
    }

    [Fact]
    public async Task ProgramConfiguration_RunsTheAppsGeneratedStartup_AsTheFunctionsProcessDoes()
    {
        using var host = ProgramHost.Build();

        // The Durable Task extension's startup (found through the generated startup executor) registered its shims.
        Assert.NotNull(host.Services.GetService<DurableTaskShimFactory>());
        // The source-generated executor and metadata provider of this app, not the worker's reflection defaults.
        Assert.Same(typeof(FunctionsHost).Assembly, host.Services.GetRequiredService<IFunctionExecutor>().GetType().Assembly);
        var provider = host.Services.GetRequiredService<IFunctionMetadataProvider>();
        Assert.Same(typeof(FunctionsHost).Assembly, provider.GetType().Assembly);
        // With worker indexing the Functions host takes its index from this provider rather than functions.metadata:
        // both must list the same functions with the same bindings, so the file's checks hold for what Azure serves.
        var generated = (await provider.GetFunctionMetadataAsync(AppContext.BaseDirectory))
            .ToDictionary(f => f.Name!, f => Describe(f.RawBindings!.Select(FunctionsMetadataFile.ParseBinding)));
        var file = FunctionsMetadataFile.Read().ToDictionary(f => f.Name, f => Describe(f.Bindings));
        Assert.Equal(FunctionClasses().SelectMany(FunctionNames).Order(), generated.Keys.Order());
        Assert.Equal(file, generated);
    }

    private static List<string> Describe(IEnumerable<Binding> bindings) => [.. bindings.Select(b => b.Describe()).Order()];

    private static IEnumerable<Type> FunctionClasses() =>
        typeof(FunctionsHost).Assembly.GetTypes().Where(t => FunctionNames(t).Any());

    private static IEnumerable<string> FunctionNames(Type type) =>
        type.GetMethods().Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name).OfType<string>();
}

/// <summary>Every line logged at Information or above, with its state's values.</summary>
internal sealed class ListProvider(List<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

    public void Dispose()
    {
    }

    private sealed class ListLogger(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lock (lines)
            {
                lines.Add($"{formatter(state, exception)} [{values}]");
            }
        }
    }
}
