using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Moq;
using Moq.Protected;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Durable;
using OurRetryPolicy = WabaOrchestrator.Durable.RetryPolicy;

namespace WabaOrchestrator.Functions.Tests.Durable;

public sealed class OrchestrationContextAdapterTests
{
    private readonly Mock<TaskOrchestrationContext> _inner = new(MockBehavior.Strict);

    private DurableFunctionsOrchestrationContext Adapter => new(_inner.Object);

    [Fact]
    public void Identity_ForwardsNameInstanceClockAndReplayFlag()
    {
        var now = new DateTime(2026, 11, 22, 6, 0, 0, DateTimeKind.Utc);
        _inner.SetupGet(c => c.Name).Returns(new TaskName("OnboardingOrchestrator"));
        _inner.SetupGet(c => c.InstanceId).Returns("waba-447700900000");
        _inner.SetupGet(c => c.CurrentUtcDateTime).Returns(now);
        _inner.SetupGet(c => c.IsReplaying).Returns(true);

        Assert.Equal("OnboardingOrchestrator", Adapter.Name);
        Assert.Equal("waba-447700900000", Adapter.InstanceId);
        Assert.Equal(now, Adapter.CurrentUtcDateTime);
        Assert.True(Adapter.IsReplaying);
    }

    [Fact]
    public async Task CallActivity_WithoutRetry_PassesNameInputAndNoOptions()
    {
        var input = new { DeploymentId = "dep-1" };
        _inner.Setup(c => c.CallActivityAsync<string>(It.Is<TaskName>(n => n.Name == "GetDeploymentActivity"), input, null)).ReturnsAsync("ok");

        Assert.Equal("ok", await Adapter.CallActivityAsync<string>("GetDeploymentActivity", input));
    }

    [Fact]
    public async Task CallActivity_WithRetryPolicy_PassesTheSameScheduleAsTaskOptions()
    {
        TaskOptions? options = null;
        _inner.Setup(c => c.CallActivityAsync<int>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName _, object? _, TaskOptions? o) => options = o)
            .ReturnsAsync(1);
        var retry = new OurRetryPolicy(5, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10))
        {
            Handle = failure => failure.ErrorType == typeof(HttpRequestException).FullName,
        };

        await Adapter.CallActivityAsync<int>("VerifyOtpActivity", null, retry);

        var policy = options?.Retry?.Policy;
        Assert.NotNull(policy);
        Assert.Equal(5, policy.MaxNumberOfAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), policy.FirstRetryInterval);
        Assert.Equal(2.0, policy.BackoffCoefficient);
        Assert.Equal(TimeSpan.FromMinutes(1), policy.MaxRetryInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), policy.RetryTimeout);
        Assert.True(RetriesAfter(policy, typeof(HttpRequestException).FullName!));
        Assert.False(RetriesAfter(policy, typeof(InvalidOperationException).FullName!));
    }

    [Fact]
    public async Task CallActivity_WithRetryWithoutHandleOrTimeout_RetriesEveryFailureWithoutLimitInTime()
    {
        TaskOptions? options = null;
        _inner.Setup(c => c.CallActivityAsync<int>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName _, object? _, TaskOptions? o) => options = o)
            .ReturnsAsync(1);

        await Adapter.CallActivityAsync<int>("GetDeploymentActivity", null, new OurRetryPolicy(3, TimeSpan.FromSeconds(1)));

        var policy = options!.Retry!.Policy!;
        Assert.Equal(Timeout.InfiniteTimeSpan, policy.RetryTimeout);
        Assert.Equal(TimeSpan.FromHours(1), policy.MaxRetryInterval);
        Assert.True(RetriesAfter(policy, "Any"));
    }

    [Fact]
    public async Task CallActivity_RetryTimeoutShorterThanFirstInterval_IsOneAttempt()
    {
        // Our policy allows it (no retry can start in time); the SDK would refuse the constructor arguments.
        TaskOptions? options = null;
        _inner.Setup(c => c.CallActivityAsync<int>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName _, object? _, TaskOptions? o) => options = o)
            .ReturnsAsync(1);

        await Adapter.CallActivityAsync<int>("GetDeploymentActivity", null, new OurRetryPolicy(4, TimeSpan.FromMinutes(1), retryTimeout: TimeSpan.FromSeconds(10)));

        Assert.Equal(1, options!.Retry!.Policy!.MaxNumberOfAttempts);
    }

    [Fact]
    public async Task CallActivity_WhenTheTaskFails_ThrowsActivityFailedExceptionWithTheFailureDetails()
    {
        var sdkFailure = new TaskFailedException("ProvisionDeploymentActivity", 3,
            new TaskFailureDetails("WabaOrchestrator.Vonage.Errors.VonageApiException", "Vonage answered 500", "at Provision()", null, null));
        _inner.Setup(c => c.CallActivityAsync<int>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).ThrowsAsync(sdkFailure);

        var ex = await Assert.ThrowsAsync<ActivityFailedException>(() => Adapter.CallActivityAsync<int>("ProvisionDeploymentActivity"));

        Assert.Equal("ProvisionDeploymentActivity", ex.ActivityName);
        Assert.Equal(new FailureDetails("WabaOrchestrator.Vonage.Errors.VonageApiException", "Vonage answered 500", "at Provision()"), ex.Failure);
        Assert.Same(sdkFailure, ex.InnerException);
    }

    [Fact]
    public async Task CallActivityWithoutResult_ForwardsToTheSdkOverloadAndMapsFailures()
    {
        _inner.Setup(c => c.CallActivityAsync(It.Is<TaskName>(n => n.Name == "NotifyCallbackActivity"), "payload", null))
            .ThrowsAsync(new TaskFailedException("NotifyCallbackActivity", 1, new TaskFailureDetails("System.TimeoutException", "slow", null, null, null)));

        var ex = await Assert.ThrowsAsync<ActivityFailedException>(() => Adapter.CallActivityAsync("NotifyCallbackActivity", "payload"));

        Assert.True(ex.Failure.IsCausedBy<TimeoutException>());
    }

    [Fact]
    public async Task CreateTimer_ForwardsFireTimeAndToken()
    {
        using var cts = new CancellationTokenSource();
        var fireAt = new DateTime(2026, 11, 22, 7, 0, 0, DateTimeKind.Utc);
        _inner.Setup(c => c.CreateTimer(fireAt, cts.Token)).Returns(Task.CompletedTask);

        await Adapter.CreateTimer(fireAt, cts.Token);

        _inner.Verify(c => c.CreateTimer(fireAt, cts.Token), Times.Once);
    }

    [Fact]
    public async Task WaitForExternalEvent_ForwardsNameAndToken_AndReturnsThePayload()
    {
        using var cts = new CancellationTokenSource();
        _inner.Setup(c => c.WaitForExternalEvent<string>("Otp", cts.Token)).ReturnsAsync("sealed-code");

        Assert.Equal("sealed-code", await Adapter.WaitForExternalEvent<string>("Otp", cts.Token));
    }

    [Fact]
    public async Task WaitForExternalEvent_CancelledAfterTheTimerWins_SurfacesAsTaskCanceledException()
    {
        // The workflow's OTP window: one event wait raced against a timer, the wait cancelled when the timer fires.
        // The SDK completes a cancelled wait as cancelled; the adapter must hand that on unchanged.
        _inner.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        _inner.Setup(c => c.WaitForExternalEvent<string>("Otp", It.IsAny<CancellationToken>()))
            .Returns((string _, CancellationToken token) => CancelledWith(token));
        var adapter = Adapter;
        using var waitCts = new CancellationTokenSource();

        var wait = adapter.WaitForExternalEvent<string>("Otp", waitCts.Token);
        var timer = adapter.CreateTimer(DateTime.UnixEpoch, CancellationToken.None);
        Assert.Same(timer, await Task.WhenAny(wait, timer));
        await waitCts.CancelAsync();

        await Assert.ThrowsAsync<TaskCanceledException>(() => wait);
        Assert.True(wait.IsCanceled);
    }

    [Fact]
    public async Task WaitForExternalEvent_AnOperationCanceledFromTheSdk_BecomesTaskCanceledException()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        _inner.Setup(c => c.WaitForExternalEvent<string>("Cancel", cts.Token)).ThrowsAsync(new OperationCanceledException(cts.Token));

        var ex = await Assert.ThrowsAsync<TaskCanceledException>(() => Adapter.WaitForExternalEvent<string>("Cancel", cts.Token));

        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public void SetCustomStatus_ForwardsTheObject()
    {
        var status = new { stage = "WaitingForOtp" };
        _inner.Setup(c => c.SetCustomStatus(status));

        Adapter.SetCustomStatus(status);

        _inner.Verify(c => c.SetCustomStatus(status), Times.Once);
    }

    [Fact]
    public void CreateReplaySafeLogger_WritesOnlyWhenNotReplaying()
    {
        var logger = new RecordingLogger();
        var factory = new Mock<ILoggerFactory>();
        factory.Setup(f => f.CreateLogger("Onboarding")).Returns(logger);
        _inner.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(factory.Object);
        var replaying = true;
        _inner.SetupGet(c => c.IsReplaying).Returns(() => replaying);
        // Virtual in the SDK: the strict mock runs the SDK's own replay-safe wrapper over LoggerFactory.
        _inner.Setup(c => c.CreateReplaySafeLogger("Onboarding")).CallBase();

        var replaySafe = Adapter.CreateReplaySafeLogger("Onboarding");
        replaySafe.LogInformation("during replay");
        replaying = false;
        replaySafe.LogInformation("new work");

        Assert.Equal(["new work"], logger.Messages);
    }

    /// <summary>
    /// Asks the SDK policy whether it retries a failure, the way the SDK does: the worker hands the policy's
    /// <see cref="Microsoft.DurableTask.RetryPolicy.Handle"/> (which <c>HandleFailure</c> wraps) to Durable Task Core's
    /// retry interceptor, which calls it with the Core exception carrying the activity's failure details.
    /// </summary>
    private static bool RetriesAfter(Microsoft.DurableTask.RetryPolicy policy, string errorType)
    {
        var failure = new global::DurableTask.Core.Exceptions.TaskFailedException(1, 1, "AnyActivity", string.Empty, "failed", null)
        {
            FailureDetails = new global::DurableTask.Core.FailureDetails(errorType, "failed", null, null, false),
        };
        return policy.Handle(failure);
    }

    private static Task<string> CancelledWith(CancellationToken token)
    {
        var completion = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => completion.TrySetCanceled(token));
        return completion.Task;
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
