using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Api.Onboardings;

namespace WabaOrchestrator.Functions.Http;

/// <summary>The onboarding routes of <see cref="OnboardingEndpoints"/>, bound to the same handlers.</summary>
public sealed class OnboardingTriggers(DurableApi durable, OtpSubmissionLimiter otpLimiter, TimeProvider time)
{
    [Function("StartOnboarding")]
    public Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "onboardings")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        ApiCall.RunAsync(request, EndpointConventions.JsonBodyLimit, () => OnboardingHandlers.Start(request, durable.Starter(durable.Client(client))));

    [Function("ListOnboardings")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "onboardings")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        ApiCall.RunAsync(request, () => OnboardingHandlers.List(request, durable.Client(client)));

    [Function("GetOnboarding")]
    public Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "onboardings/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        ApiCall.RunAsync(request, () => OnboardingHandlers.Get(id, request, durable.Client(client)));

    [Function("GetOnboardingTimeline")]
    public Task<IResult> Timeline(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "onboardings/{id}/timeline")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        ApiCall.RunAsync(request, () => OnboardingHandlers.Timeline(id, durable.Client(client), request.HttpContext.RequestAborted));

    [Function("SubmitOtp")]
    public Task<IResult> SubmitOtp(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "onboardings/{id}/otp")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        var orchestrations = durable.Client(client);
        return ApiCall.RunAsync(request, EndpointConventions.JsonBodyLimit, () => OnboardingHandlers.SubmitOtp(id, request, orchestrations, durable.Starter(orchestrations), otpLimiter, time));
    }

    [Function("ResendOnboardingOtp")]
    public Task<IResult> Resend(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "onboardings/{id}/resend")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        ApiCall.RunAsync(request, () => OnboardingHandlers.Resend(id, request, durable.Client(client)));

    [Function("CancelOnboarding")]
    public Task<IResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "onboardings/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        ApiCall.RunAsync(request, () => OnboardingHandlers.Cancel(id, request, durable.Client(client)));

    [Function("TerminateOnboarding")]
    public Task<IResult> Terminate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "onboardings/{id}/terminate")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        ApiCall.RunAsync(request, () => OnboardingHandlers.Terminate(id, request, durable.Client(client)));

    [Function("PurgeOnboardingHistory")]
    public Task<IResult> Purge(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "onboardings/{id}/history")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client) =>
        ApiCall.RunAsync(request, () => OnboardingHandlers.Purge(id, durable.Client(client), request.HttpContext.RequestAborted));
}
