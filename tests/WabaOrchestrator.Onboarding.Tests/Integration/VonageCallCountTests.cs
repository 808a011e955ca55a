using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Vonage;
using Xunit.Abstractions;

namespace WabaOrchestrator.Onboarding.Tests.Integration;

/// <summary>Alone in its collection: call counts depend on how late timers fire, so no other test shares the cores.</summary>
[CollectionDefinition(nameof(VonageCallCountTests), DisableParallelization = true)]
public sealed class VonageCallCountCollection;

/// <summary>
/// Vonage calls per onboarding from the sandbox's own counters: status polls against the minimum the step timing allows
/// (one GET to see CODE_SENT, one to see READY), and provisioning exactly once per number across an engine restart.
/// </summary>
[Collection(nameof(VonageCallCountTests))]
public sealed class VonageCallCountTests(ITestOutputHelper output)
{
    private const string Provision = "POST /v0.1/whatsapp-manager/deployments";
    private const string Get = "GET /v0.1/whatsapp-manager/deployments/{deployment_id}";
    private const int Onboardings = 8;
    private const int MinimumPollsPerOnboarding = 2;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task StatusPolls_WithTheExpectedStepTimes_StayWithinOneAndAHalfTimesTheMinimum()
    {
        var baseline = await PollsPerOnboardingAsync(expected: false);
        var tuned = await PollsPerOnboardingAsync(expected: true);

        output.WriteLine($"Sandbox step {Step.TotalMilliseconds} ms (CODE_SENT after 3 steps, READY 2 steps after verify); minimum {MinimumPollsPerOnboarding} status polls per onboarding.");
        output.WriteLine($"Backoff only (poll interval 50 ms doubling to 400 ms): {baseline:0.00} polls per onboarding = {baseline / MinimumPollsPerOnboarding:0.00}x the minimum.");
        output.WriteLine($"First poll at the expected step time, then the backoff: {tuned:0.00} polls per onboarding = {tuned / MinimumPollsPerOnboarding:0.00}x the minimum.");
        Assert.True(tuned <= 1.5 * MinimumPollsPerOnboarding, $"{tuned:0.00} status polls per onboarding.");
    }

    [Fact]
    public async Task Provision_EngineRestartedWhileVonageHoldsTheAnswer_ProvisionsEachNumberOnce()
    {
        const int numbers = 3;
        using var holder = new ProvisionResponseHolder(numbers);
        await using var stack = await OnboardingStack.StartAsync(new StackSetup
        {
            ConfigureServices = services =>
            {
                if (holder.Arm())
                {
                    services.AddHttpClient(VonageServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => holder);
                }
            },
        });
        var ids = new List<string>();
        for (var i = 0; i < numbers; i++)
        {
            ids.Add(await stack.StartOnboardingAsync(OnboardingStack.NewNumber()));
        }

        // Vonage has created every deployment, but no answer reached the engine: it stops mid-activity.
        await holder.AllProvisioned.Task.WaitAsync(Poll.DefaultTimeout);
        await stack.Host.RestartAsync();

        foreach (var id in ids)
        {
            var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
            await stack.RaiseOtpAsync(id, (await stack.SandboxOtpAsync(deploymentId)).Code);
        }

        var outputs = new List<OnboardingOutput>();
        foreach (var id in ids)
        {
            var done = await stack.CompletionAsync(id);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            outputs.Add(done.ReadOutputAs<OnboardingOutput>()!);
        }

        var created = await stack.SandboxCountAsync(Provision, "202");
        var inUse = await stack.SandboxCountAsync(Provision, "409");
        output.WriteLine($"{numbers} numbers, engine restarted with every provision answer lost: {created} deployments created (202), {inUse} number-in-use answers adopted (409).");
        Assert.Equal(numbers, created);
        Assert.Equal(numbers, inUse);
        Assert.Equal(holder.CreatedIds.OrderBy(x => x), outputs.Select(o => o.DeploymentId!).OrderBy(x => x));
        Assert.All(outputs, o => Assert.Equal("READY", o.State));
        await stack.AssertNoPlaintextSecretsAsync(ids[0]);
    }

    private async Task<double> PollsPerOnboardingAsync(bool expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Onboarding:PollInterval"] = "00:00:00.050",
            ["Onboarding:MaxPollInterval"] = "00:00:00.400",
        };
        if (expected)
        {
            // Half a step of slack past the sandbox's 3 and 2 steps: its step timers fire a little late too.
            settings["Onboarding:ExpectedCodeSentAfter"] = (Step * 3.5).ToString();
            settings["Onboarding:ExpectedReadyAfter"] = (Step * 2.5).ToString();
        }

        await using var stack = await OnboardingStack.StartAsync(new StackSetup { StepDelay = Step, Settings = settings });
        var ids = new List<string>();
        for (var i = 0; i < Onboardings; i++)
        {
            ids.Add(await stack.StartOnboardingAsync(OnboardingStack.NewNumber()));
        }

        await Task.WhenAll(ids.Select(async id =>
        {
            var deploymentId = (await stack.WaitForOtpAsync(id)).DeploymentId!;
            await stack.RaiseOtpAsync(id, (await stack.SandboxOtpAsync(deploymentId)).Code);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await stack.CompletionAsync(id)).RuntimeStatus);
        }));

        Assert.Equal(Onboardings, await stack.SandboxCountAsync(Provision, "202"));
        return (double)await stack.SandboxCountAsync(Get, "200") / Onboardings;
    }

    /// <summary>
    /// Lets provisioning requests reach Vonage but never hands the answer back (until the engine stops): the crash window
    /// between Vonage creating a deployment and the engine recording it. Armed for the first host only.
    /// </summary>
    private sealed class ProvisionResponseHolder(int expected) : DelegatingHandler
    {
        private int _starts;
        private int _held;

        public TaskCompletionSource AllProvisioned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentBag<string> CreatedIds { get; } = [];

        public bool Arm() => Interlocked.Increment(ref _starts) == 1;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method != HttpMethod.Post || !request.RequestUri!.AbsolutePath.EndsWith("/whatsapp-manager/deployments", StringComparison.Ordinal))
            {
                return response;
            }

            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            CreatedIds.Add(body.RootElement.GetProperty("deployment_id").GetString()!);
            response.Dispose();
            if (Interlocked.Increment(ref _held) == expected)
            {
                AllProvisioned.TrySetResult();
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
