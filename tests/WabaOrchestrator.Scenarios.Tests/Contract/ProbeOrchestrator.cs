using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Durable;

namespace WabaOrchestrator.Scenarios.Tests.Contract;

public sealed record ProbeInput(string Label, bool Fail = false, bool WaitForGo = false);

public sealed record ProbeOutput(string Label, string? Go);

public sealed record ProbeStatus(string Stage, string Label);

/// <summary>
/// The smallest orchestrator that shows every field the client returns: it sets a custom status, then completes with
/// its label, fails, or waits for a "go" event first. Registered on each engine as that engine's host would.
/// </summary>
public sealed class ProbeOrchestrator : Orchestrator<ProbeInput, ProbeOutput>
{
    public const string GoEvent = "go";

    public override async Task<ProbeOutput> RunAsync(IOrchestrationContext context, ProbeInput input)
    {
        context.SetCustomStatus(new ProbeStatus("started", input.Label));
        if (input.Fail)
        {
            throw new InvalidOperationException($"Probe {input.Label} failed as asked.");
        }

        string? go = null;
        if (input.WaitForGo)
        {
            go = await context.WaitForExternalEvent<string>(GoEvent);
        }

        context.SetCustomStatus(new ProbeStatus("done", input.Label));
        return new ProbeOutput(input.Label, go);
    }

    /// <summary>
    /// In DI, as both hosts register orchestrators: the SQLite engine runs it from there, and the Functions host's client
    /// knows from there which names it may start.
    /// </summary>
    public static void Register(IServiceCollection services) => new Builder(services).AddOrchestrator<ProbeOrchestrator>();

    /// <summary>On the Durable Task worker: as an orchestrator function over the Functions host's context adapter.</summary>
    public static void RegisterAsFunction(DurableTaskRegistry tasks) =>
        tasks.AddOrchestratorFunc<ProbeInput, ProbeOutput>(nameof(ProbeOrchestrator), (context, input) =>
            new ProbeOrchestrator().RunAsync(new DurableFunctionsOrchestrationContext(context), input));

    private sealed class Builder(IServiceCollection services) : IDurableBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
