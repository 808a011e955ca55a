using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Api.Onboardings;

public static class OnboardingEndpoints
{
    public static IEndpointRouteBuilder MapOnboardings(this IEndpointRouteBuilder endpoints)
    {
        var onboardings = endpoints.MapGroup("/onboardings").WithTags("Onboardings");

        onboardings.MapPost("", OnboardingHandlers.Start)
            .WithName("StartOnboarding")
            .WithSummary("Starts onboarding a number (instance id waba-{country_code}{number}).")
            .Accepts<OnboardingRequest>("application/json")
            .Produces<ManagementLinks>(StatusCodes.Status202Accepted)
            .ProducesJsonBodyErrors(StatusCodes.Status409Conflict);
        onboardings.MapGet("", OnboardingHandlers.List)
            .WithName("ListOnboardings")
            .WithSummary("Lists onboardings, newest first: runtimeStatus, stage, top, continuationToken, createdTimeFrom/To, instanceIdPrefix.")
            .Produces<OnboardingPage>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        onboardings.MapGet("/{id}", OnboardingHandlers.Get)
            .WithName("GetOnboarding")
            .WithSummary("One onboarding in Durable Functions' status shape; showHistory=true adds its timeline.")
            .Produces<OnboardingView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        onboardings.MapGet("/{id}/timeline", OnboardingHandlers.Timeline)
            .WithName("GetOnboardingTimeline")
            .WithSummary("What happened to one onboarding, oldest first: stages, Vonage calls, OTPs, resends, cancel, warnings, failure.")
            .Produces<OnboardingTimelineView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        onboardings.MapPost("/{id}/otp", OnboardingHandlers.SubmitOtp)
            .WithName("SubmitOtp")
            .WithSummary("Delivers the OTP (\"123456\" or \"123-456\") to a waiting onboarding.")
            .Accepts<OtpRequest>("application/json")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesJsonBodyErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        onboardings.MapPost("/{id}/resend", OnboardingHandlers.Resend)
            .WithName("ResendOnboardingOtp")
            .WithSummary("Resend now: ends the current OTP window early and asks Vonage for a new code (409 when not waiting for a code or no resends are left).")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        onboardings.MapDelete("/{id}", OnboardingHandlers.Cancel)
            .WithName("CancelOnboarding")
            .WithSummary("Cancels with clean-up: the deployment is deleted at Vonage (optional ?reason=).")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        onboardings.MapPost("/{id}/terminate", OnboardingHandlers.Terminate)
            .WithName("TerminateOnboarding")
            .WithSummary("Hard stop without clean-up at Vonage (optional ?reason=).")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        onboardings.MapDelete("/{id}/history", OnboardingHandlers.Purge)
            .WithName("PurgeOnboardingHistory")
            .WithSummary("Deletes a finished onboarding's history.")
            .Produces<PurgeResult>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }
}
