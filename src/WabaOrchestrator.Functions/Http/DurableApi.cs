using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Onboarding.Secrets;

namespace WabaOrchestrator.Functions.Http;

/// <summary>
/// The Api's durable services for one invocation. Durable Functions hands out its client per invocation (the
/// <c>[DurableClient]</c> binding), so the client adapter and the <see cref="OnboardingStarter"/> over it are built
/// here rather than resolved from DI.
/// </summary>
public sealed class DurableApi(ISecretProtector secrets, IOptions<OnboardingOptions> options, IEnumerable<TaskRegistration> registrations)
{
    private readonly IReadOnlyDictionary<string, TaskRegistration> _orchestrators = registrations.ByName(TaskKind.Orchestrator);

    public IOrchestrationClient Client(DurableTaskClient durable) => new DurableFunctionsOrchestrationClient(durable, _orchestrators);

    public OnboardingStarter Starter(IOrchestrationClient client) => new(client, secrets, options);
}
