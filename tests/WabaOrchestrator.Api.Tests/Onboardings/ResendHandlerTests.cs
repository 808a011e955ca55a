using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Moq;
using WabaOrchestrator.Api.Onboardings;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Api.Tests.Onboardings;

/// <summary>What "resend now" answers from the instance's status alone; the engine is a boundary here.</summary>
public sealed class ResendHandlerTests
{
    private const string Id = "waba-447700900999";

    [Fact]
    public async Task Resend_WhileStillWaitingForTheCluster_Is409NamingTheStage_AndRaisesNothing()
    {
        var client = ClientWith(new OnboardingStatus { Stage = OnboardingStage.WaitingForCluster });

        var result = Assert.IsType<ProblemHttpResult>(await OnboardingHandlers.Resend(Id, Request(), client.Object));

        Assert.Equal(StatusCodes.Status409Conflict, result.StatusCode);
        Assert.Contains("not waiting for a code (stage WaitingForCluster)", result.ProblemDetails.Detail, StringComparison.Ordinal);
        client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Resend_FromAStatusWrittenBeforeResendsLeftExisted_IsRaised()
    {
        var client = ClientWith(new OnboardingStatus { Stage = OnboardingStage.WaitingForOtp, Otp = new() { Method = "voice", Resends = 1, AttemptsLeft = 5 } });
        client.Setup(c => c.RaiseEventAsync(Id, OnboardingEvents.Resend, It.IsAny<object?>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var result = await OnboardingHandlers.Resend(Id, Request(), client.Object);

        Assert.Equal(StatusCodes.Status202Accepted, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        client.Verify(c => c.RaiseEventAsync(Id, OnboardingEvents.Resend, It.Is<object?>(e => e is ResendRequested), It.IsAny<CancellationToken>()), Times.Once);
    }

    private static Mock<IOrchestrationClient> ClientWith(OnboardingStatus status)
    {
        var client = new Mock<IOrchestrationClient>(MockBehavior.Strict);
        client.Setup(c => c.GetInstanceAsync(Id, false, It.IsAny<CancellationToken>())).ReturnsAsync(new OrchestrationMetadata(nameof(OnboardingOrchestrator), Id)
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Running,
            SerializedCustomStatus = JsonSerializer.Serialize(status),
        });
        return client;
    }

    private static HttpRequest Request()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 7071);
        return context.Request;
    }
}
