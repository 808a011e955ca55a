using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Testing;

/// <summary>
/// A durable engine running the onboarding against a <see cref="LoopbackVonage"/> sandbox: the embedded SQLite engine
/// (<see cref="SqliteOnboardingEngine"/>) or the real Durable Task worker behind the Functions host's adapters. Scenarios
/// written against this run unchanged on both.
/// </summary>
public interface IOnboardingEngine : IAsyncDisposable
{
    /// <summary>Shown in test output and failure messages.</summary>
    string Name { get; }

    /// <summary>The client as the host's API gets it.</summary>
    IOrchestrationClient Client { get; }

    /// <summary>The starter as the host's API builds it over <see cref="Client"/>.</summary>
    OnboardingStarter Starter { get; }

    /// <summary>The host's services (secret protector, options, Vonage clients).</summary>
    IServiceProvider Services { get; }

    LoopbackVonage Vonage { get; }

    /// <summary>
    /// Everything the engine keeps about the instance (files, history, state), as (where, text), for the leak check;
    /// at least one entry names the instance, or the check would prove nothing.
    /// </summary>
    Task<IReadOnlyList<(string Name, string Text)>> StoredStateAsync(string instanceId);
}

/// <summary>Starts an engine with the stack's sandbox settings, host settings, services and logging.</summary>
public delegate Task<IOnboardingEngine> OnboardingEngineFactory(StackOptions options);
