using System.Text.Json;

namespace WabaOrchestrator.Onboarding.Tests.Workflow;

/// <summary>The timeline's bound: it must fit Durable Task's 16 KB custom status next to the rest of the status.</summary>
public sealed class TimelineRecorderTests
{
    private static readonly DateTime Start = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Add_BeyondTheEntryBound_KeepsTheNewestAndCountsTheDropped()
    {
        var recorder = new TimelineRecorder();
        for (var i = 0; i < TimelineRecorder.MaxEntries + 30; i++)
        {
            recorder.Add(new TimelineEntry { At = Start.AddSeconds(i), Kind = TimelineKind.Stage, Stage = i % 2 == 0 ? OnboardingStage.Verifying : OnboardingStage.WaitingForOtp });
        }

        var timeline = recorder.Snapshot();
        Assert.Equal(TimelineRecorder.MaxEntries, timeline.Entries.Count);
        Assert.Equal(30, timeline.Dropped);
        Assert.Equal(Start.AddSeconds(29), timeline.DroppedUntil);
        Assert.Equal(Start.AddSeconds(30), timeline.Entries[0].At);
        Assert.Equal(Start.AddSeconds(TimelineRecorder.MaxEntries + 29), timeline.Entries[^1].At);
    }

    [Fact]
    public void Add_LongDetails_AreCutAndTheTimelineStaysWithinItsByteBudget()
    {
        var recorder = new TimelineRecorder();
        for (var i = 0; i < TimelineRecorder.MaxEntries; i++)
        {
            recorder.Add(WorstCase(i));
        }

        var timeline = recorder.Snapshot();
        Assert.All(timeline.Entries, e => Assert.Equal(TimelineRecorder.MaxDetail, e.Detail!.Length));
        Assert.True(JsonSerializer.SerializeToUtf8Bytes(timeline.Entries).Length <= TimelineRecorder.MaxBytes + 100);
        Assert.True(timeline.Dropped > 0);
        Assert.Equal(TimelineRecorder.MaxEntries, timeline.Entries.Count + timeline.Dropped);
    }

    [Fact]
    public void CustomStatus_WithAFullWorstCaseTimeline_FitsDurableTasks16KbLimit()
    {
        var recorder = new TimelineRecorder();
        for (var i = 0; i < 500; i++)
        {
            recorder.Add(WorstCase(i));
        }

        var status = new OnboardingStatus
        {
            Stage = OnboardingStage.ConfiguringProfile,
            VonageState = "CODE_VERIFIED",
            VonageDetail = new string('d', 500),
            DeploymentId = Guid.NewGuid().ToString(),
            Otp = new OtpStatus { Method = "sms", SentAt = Start, WindowEndsAt = Start, Resends = 3, AttemptsLeft = 2 },
            NextPollAt = Start,
            Error = new string('e', 1000),
            Reason = new string('r', 500),
            Timeline = recorder.Snapshot(),
        };

        Assert.True(JsonSerializer.SerializeToUtf8Bytes(status).Length < 16 * 1024);
    }

    [Fact]
    public void Add_PollsOfOtherCallsOrStates_AreNotMerged()
    {
        var recorder = new TimelineRecorder();
        recorder.Add(Call("GetDeployment", "CREATING_CLUSTER", 0));
        recorder.Add(Call("GetDeployment", "CREATING_CLUSTER", 1));
        recorder.Add(Call("GetDeployment", "CODE_SENT", 2));
        recorder.Add(Call("ResendOtp", "Throttled", 3));
        recorder.Add(Call("ResendOtp", "Throttled", 4));

        Assert.Equal(
            [("GetDeployment", "CREATING_CLUSTER", (int?)2), ("GetDeployment", "CODE_SENT", null), ("ResendOtp", "Throttled", null), ("ResendOtp", "Throttled", null)],
            recorder.Snapshot().Entries.Select(e => (e.Call, e.Outcome, e.Repeats)));
        Assert.Equal(Start, recorder.Snapshot().Entries[0].At);
    }

    private static TimelineEntry Call(string call, string outcome, int second) =>
        new() { At = Start.AddSeconds(second), Kind = TimelineKind.VonageCall, Call = call, Outcome = outcome };

    private static TimelineEntry WorstCase(int i) => new()
    {
        At = Start.AddSeconds(i),
        Kind = TimelineKind.OtpReceived,
        Stage = OnboardingStage.CompletedWithWarnings,
        VonageState = "CODE_VERIFIED",
        Call = "ProvisionDeployment",
        Outcome = "TooManyAttempts",
        HttpStatus = 422,
        ErrorCode = "verification-failed",
        Source = "operator",
        DeliveryId = new string('i', 300),
        Verdict = OtpVerdicts.TooLate,
        Repeats = 1000,
        Detail = new string('x', 1000),
    };
}
