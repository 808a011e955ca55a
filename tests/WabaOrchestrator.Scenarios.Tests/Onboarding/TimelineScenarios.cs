using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WabaOrchestrator.Api.Onboardings;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Scenarios.Tests.Onboarding;

/// <summary>
/// The timeline, written once and run on each engine (the sealed subclasses): both must record the same entries in the
/// same order, read through the API's handler over that engine's client. Status polls are left out of the shape (how
/// many there are depends on timing); everything else is decided by the workflow and must match exactly.
/// </summary>
public abstract class TimelineScenarios
{
    protected abstract OnboardingEngineFactory Engine { get; }

    [Fact]
    public async Task Timeline_OfAnSmsOnboardingWithAWrongThenTheRightCode_IsTheSameShapeOnEveryEngine()
    {
        await using var stack = await OnboardingStack.StartAsync(Engine);
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        var waiting = await stack.WaitForOtpAsync(id);
        var (code, _) = await stack.SandboxOtpAsync(waiting.DeploymentId!);

        await stack.RaiseOtpAsync(id, stack.WrongCode(code));
        await stack.WaitForStatusAsync(id, s => s is { Stage: OnboardingStage.WaitingForOtp, Otp.AttemptsLeft: 4 }, "one attempt used");
        await stack.RaiseOtpAsync(id, code);
        var done = await stack.CompletionAsync(id);

        var timeline = await TimelineAsync(stack, id);
        Assert.Equal(
            [
                "stage Provisioning", "vonage_call ProvisionDeployment Created", "stage WaitingForCluster", "stage WaitingForOtp",
                "stage Verifying", "vonage_call VerifyOtp WrongCode", "otp_received operator wrong", "stage WaitingForOtp",
                "stage Verifying", "vonage_call VerifyOtp Verified", "otp_received operator verified", "stage Finalizing",
                "stage Completed",
            ],
            Shape(timeline));
        var refused = timeline.Entries.Single(e => e.Outcome == "WrongCode");
        Assert.NotNull(refused.HttpStatus);
        Assert.Equal("verification-failed", refused.ErrorCode);
        Assert.Contains(timeline.Entries, e => e is { Call: "GetDeployment", Outcome: "READY" });
        Assert.Equal(Json(timeline), Json(done.ReadOutputAs<OnboardingOutput>()!.Timeline));
        Assert.Equal(Json(timeline), Json(done.ReadCustomStatusAs<OnboardingStatus>()!.Timeline));
        Assert.Equal(timeline.Entries.Select(e => e.At).Order(), timeline.Entries.Select(e => e.At));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    [Fact]
    public async Task Timeline_OfACancelledOnboarding_IsTheSameShapeOnEveryEngine()
    {
        await using var stack = await OnboardingStack.StartAsync(Engine);
        var id = await stack.StartOnboardingAsync(OnboardingStack.NewNumber());
        await stack.WaitForOtpAsync(id);

        await stack.Client.RaiseEventAsync(id, OnboardingEvents.Cancel, new CancelRequested("wrong number"));
        var done = await stack.CompletionAsync(id);

        var output = done.ReadOutputAs<OnboardingOutput>()!;
        Assert.Equal((OnboardingStage.Cancelled, "DELETED", "wrong number"), (output.Stage, output.State, output.Reason));
        var timeline = await TimelineAsync(stack, id);
        Assert.Equal(
            [
                "stage Provisioning", "vonage_call ProvisionDeployment Created", "stage WaitingForCluster", "stage WaitingForOtp",
                "cancel_requested", "vonage_call DeleteDeployment Deleted", "stage Cancelled",
            ],
            Shape(timeline));
        Assert.Equal("wrong number", timeline.Entries.Single(e => e.Kind == TimelineKind.CancelRequested).Detail);
        Assert.Equal("DELETED", timeline.Entries[^1].VonageState);
        Assert.Equal(Json(timeline), Json(output.Timeline));
        await stack.AssertNoPlaintextSecretsAsync(id);
    }

    /// <summary>Through the API's handler, as both hosts serve <c>GET /api/onboardings/{id}/timeline</c>.</summary>
    private static async Task<OnboardingTimeline> TimelineAsync(OnboardingStack stack, string id)
    {
        var result = await OnboardingHandlers.Timeline(id, stack.Client, CancellationToken.None);
        var view = Assert.IsType<Ok<OnboardingTimelineView>>(result).Value!;
        Assert.Equal((id, nameof(OrchestrationRuntimeStatus.Completed)), (view.InstanceId, view.RuntimeStatus));
        Assert.Equal(0, view.Timeline.Dropped);
        return view.Timeline;
    }

    private static IEnumerable<string> Shape(OnboardingTimeline timeline) => timeline.Entries
        .Where(e => e.Call != "GetDeployment")
        .Select(e => e.Kind switch
        {
            TimelineKind.Stage => $"stage {e.Stage}",
            TimelineKind.VonageCall => $"vonage_call {e.Call} {e.Outcome}",
            TimelineKind.OtpReceived => $"otp_received {e.Source} {e.Verdict}",
            _ => JsonSerializer.Serialize(e.Kind).Trim('"'),
        });

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}

/// <summary>The timeline scenarios on the local host's embedded SQLite engine.</summary>
public sealed class TimelineScenariosOnSqlite : TimelineScenarios
{
    protected override OnboardingEngineFactory Engine => SqliteOnboardingEngine.Factory;
}

/// <summary>The timeline scenarios on the real Durable Task worker through the Functions host's adapters.</summary>
public sealed class TimelineScenariosOnDurableTask : TimelineScenarios
{
    protected override OnboardingEngineFactory Engine => Engines.DurableTaskEngine.Factory;
}
