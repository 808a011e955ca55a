using System.Text.Json;
using Moq;
using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Testing;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Profile;
using static WabaOrchestrator.Onboarding.Tests.Workflow.WorkflowScenario;

namespace WabaOrchestrator.Onboarding.Tests.Workflow;

/// <summary>What the workflow writes in an onboarding's timeline, decided from activity results and events alone.</summary>
public sealed class TimelineDecisionTests
{
    private static readonly VonageReply WrongCodeReply = new(422, "verification-failed");

    /// <summary>
    /// Verifies "246802"; any other code is refused as Vonage refuses it (422 verification-failed). Two polls to
    /// CODE_SENT, two to READY once verified.
    /// </summary>
    private static ScriptedContext VonageRefusingWrongCodes()
    {
        var verified = false;
        var polls = 0;
        return HappyVonage()
            .On<VerifyOtpInput>(nameof(VerifyOtpActivity), input => (verified = input.ProtectedCode == Code("246802").ProtectedCode)
                ? new VerificationResult(VerifyOutcome.Verified, null)
                : new VerificationResult(VerifyOutcome.WrongCode, "The code is not valid.", WrongCodeReply))
            .On(nameof(GetDeploymentActivity), _ => verified
                ? At(++polls >= 4 ? DeploymentState.Ready : DeploymentState.Finalizing)
                : At(++polls >= 2 ? DeploymentState.CodeSent : DeploymentState.CreatingCluster));
    }

    [Fact]
    public async Task Timeline_OfAnSmsOnboardingWithAWrongThenTheRightCode_RecordsEveryStepInOrder()
    {
        var context = VonageRefusingWrongCodes();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:975310", OtpSources.Sms("MSG-1")));
        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:246802", OtpSources.Sms("MSG-2")));
        context.FireTimersUntil(() => run.IsCompleted);
        var output = await run;

        var entries = output.Timeline.Entries;
        Assert.Equal(
            [
                "stage Provisioning", "vonage_call ProvisionDeployment Created", "stage WaitingForCluster",
                "vonage_call GetDeployment CREATING_CLUSTER", "vonage_call GetDeployment CODE_SENT", "stage WaitingForOtp",
                "stage Verifying", "vonage_call VerifyOtp WrongCode", "otp_received sms wrong", "stage WaitingForOtp",
                "stage Verifying", "vonage_call VerifyOtp Verified", "otp_received sms verified", "stage Finalizing",
                "vonage_call GetDeployment FINALIZING", "vonage_call GetDeployment READY", "stage Completed",
            ],
            entries.Select(Describe));
        var wrong = entries.Single(e => e.Verdict == OtpVerdicts.Wrong);
        Assert.Equal("MSG-1", wrong.DeliveryId);
        var refusal = entries.Single(e => e is { Call: "VerifyOtp", Outcome: "WrongCode" });
        Assert.Equal((422, "verification-failed", "The code is not valid."), (refusal.HttpStatus, refusal.ErrorCode, refusal.Detail));
        Assert.Equal("MSG-2", entries.Single(e => e.Verdict == OtpVerdicts.Verified).DeliveryId);
        Assert.Equal(entries.Select(e => e.At).Order(), entries.Select(e => e.At));
        Assert.Equal(0, output.Timeline.Dropped);
        Assert.Equal(Json(output.Timeline), Json(context.Status.Timeline));
        AssertHoldsNoSecret(Json(output));
    }

    [Fact]
    public async Task Timeline_StatusPollsThatSeeTheSameState_AreOneEntryWithACount()
    {
        var polls = 0;
        var context = HappyVonage().On(nameof(GetDeploymentActivity), _ => At(++polls < 5 ? DeploymentState.CreatingCluster : DeploymentState.CodeSent));
        var run = context.Run(Input());

        context.UntilWaitingForOtp();

        var cluster = Assert.Single(context.Status.Timeline!.Entries, e => e.Outcome == "CREATING_CLUSTER");
        Assert.Equal(4, cluster.Repeats);
        Assert.Null(Assert.Single(context.Status.Timeline!.Entries, e => e.Outcome == "CODE_SENT").Repeats);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public async Task Timeline_ARepeatedSmsDeliveryAndAnOperatorCode_SayWhereEachCameFrom()
    {
        var context = VonageRefusingWrongCodes();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:975310", OtpSources.Sms("MSG-1")));
        context.Raise(OnboardingEvents.Otp, new OtpSubmitted("wsp1:975310", OtpSources.Sms("MSG-1")));
        context.Raise(OnboardingEvents.Otp, Code("246802"));
        context.FireTimersUntil(() => run.IsCompleted);

        var received = (await run).Timeline.Entries.Where(e => e.Kind == TimelineKind.OtpReceived).ToList();
        Assert.Equal(
            [("sms", "MSG-1", OtpVerdicts.Wrong), ("sms", "MSG-1", OtpVerdicts.Repeated), ("operator", null, OtpVerdicts.Verified)],
            received.Select(e => (e.Source, e.DeliveryId, e.Verdict)));
    }

    [Fact]
    public async Task Timeline_WhenAnOtpWindowEnds_RecordsTheExpiryTheResendCallAndTheResend()
    {
        var context = HappyVonage();
        var run = context.Run(Input(new WorkflowSettings { OtpWindow = TimeSpan.FromMinutes(5) }));
        context.UntilWaitingForOtp();

        context.FireTimer();

        Assert.Equal(
            ["stage WaitingForOtp", "otp_window_expired", "vonage_call ResendOtp Sent", "otp_resent"],
            context.Status.Timeline!.Entries.TakeLast(4).Select(Describe));
        Assert.Equal(1, context.Status.Otp!.Resends);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public async Task Timeline_AVerifyVonageNoLongerWaitsFor_IsTooLate()
    {
        var context = HappyVonage()
            .On(nameof(VerifyOtpActivity), _ => new VerificationResult(VerifyOutcome.NotAllowed, "Not waiting for a code.", new VonageReply(409, "conflict-deployment-state")))
            .OnSequence(nameof(GetDeploymentActivity), At(DeploymentState.CreatingCluster), At(DeploymentState.CodeSent), At(DeploymentState.CodeVerified), At(DeploymentState.Ready));
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);

        var received = Assert.Single((await run).Timeline.Entries, e => e.Kind == TimelineKind.OtpReceived);
        Assert.Equal(OtpVerdicts.TooLate, received.Verdict);
    }

    [Fact]
    public async Task Timeline_OfACancelledOnboarding_EndsWithTheReasonTheDeleteAndTheStage()
    {
        var context = HappyVonage();
        var run = context.Run(Input());
        context.UntilWaitingForOtp();

        context.Raise(OnboardingEvents.Cancel, new CancelRequested("wrong number"));
        var output = await run;

        Assert.Equal(
            ["cancel_requested", "vonage_call DeleteDeployment Deleted", "stage Cancelled"],
            output.Timeline.Entries.TakeLast(3).Select(Describe));
        Assert.Equal("wrong number", output.Timeline.Entries[^3].Detail);
        Assert.Equal("DELETED", output.Timeline.Entries[^1].VonageState);
        Assert.Equal("DELETED", context.Status.VonageState);
    }

    [Fact]
    public async Task Timeline_OfAFailedOnboarding_RecordsTheFailedCallAndTheReason()
    {
        var context = HappyVonage().On(nameof(ResendOtpActivity), _ => throw Failure(nameof(ResendOtpActivity), "Vonage returned 503 ServiceUnavailable"));
        var run = context.Run(Input(new WorkflowSettings { OtpWindow = TimeSpan.FromMinutes(5) }));
        context.UntilWaitingForOtp();

        context.FireTimer();

        var failure = await Assert.ThrowsAsync<OnboardingFailedException>(() => run);
        var entries = context.Status.Timeline!.Entries;
        Assert.Equal(
            ["otp_window_expired", "vonage_call ResendOtp Failed", "failed", "vonage_call DeleteDeployment Deleted", "stage Failed"],
            entries.TakeLast(5).Select(Describe));
        Assert.Equal("Vonage returned 503 ServiceUnavailable", entries[^4].Detail);
        Assert.Equal(failure.Message, entries[^3].Detail);
        Assert.Equal(failure.Message, entries[^1].Detail);
    }

    [Fact]
    public async Task Timeline_ARejectedProfile_IsAVonageCallAndAWarning()
    {
        var context = HappyVonage().On(nameof(UpdateProfileActivity), _ => new StepOutcome(false, "about is too long"));
        var run = context.Run(Input(profile: new BusinessProfile(About: "Fresh bread")));
        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Otp, Code("123456"));
        context.FireTimersUntil(() => run.IsCompleted);
        var output = await run;

        Assert.Equal(
            ["stage ConfiguringProfile", "vonage_call UpdateProfile Rejected", "warning", "stage CompletedWithWarnings"],
            output.Timeline.Entries.TakeLast(4).Select(Describe));
        Assert.Equal(output.Warnings.Single(), output.Timeline.Entries[^2].Detail);
    }

    [Fact]
    public async Task Logs_EveryStageChangeAndTheEnd_OneInformationLineEach()
    {
        var logs = new CapturingLoggerProvider();
        var context = HappyVonage();
        context.Mock.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(logs.CreateLogger(nameof(OnboardingOrchestrator)));
        var run = context.Run(Input());
        context.UntilWaitingForOtp();
        context.Raise(OnboardingEvents.Cancel, new CancelRequested("wrong number"));
        await run;

        var lines = logs.Lines.Where(l => l.StartsWith("Information", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "Onboarding waba-447700900001 is now Provisioning (Vonage -)",
                "Onboarding waba-447700900001 is now WaitingForCluster (Vonage INITIALIZING)",
                "Onboarding waba-447700900001 is now WaitingForOtp (Vonage CODE_SENT)",
                "Onboarding waba-447700900001 finished as Cancelled: wrong number",
            ],
            lines.Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..l.IndexOf(" [", StringComparison.Ordinal)]));
        Assert.Equal(lines.Count, logs.Lines.Count);
    }

    private static string Describe(TimelineEntry entry) => entry.Kind switch
    {
        TimelineKind.Stage => $"stage {entry.Stage}",
        TimelineKind.VonageCall => $"vonage_call {entry.Call} {entry.Outcome}",
        TimelineKind.OtpReceived => $"otp_received {entry.Source} {entry.Verdict}",
        _ => JsonSerializer.Serialize(entry.Kind).Trim('"'),
    };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>The scripted ciphertexts, codes and key material must never reach the timeline or output.</summary>
    internal static void AssertHoldsNoSecret(string json)
    {
        foreach (var secret in new[] { "wsp1:", "975310", "246802", "certificate-ciphertext", "pin-ciphertext" })
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        }
    }
}
