using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;

namespace WabaOrchestrator.Api.Onboardings;

/// <summary>Body of <c>POST /api/onboardings/{id}/otp</c>.</summary>
public sealed record OtpRequest([property: JsonPropertyName("code")] string? Code);

/// <summary>
/// The onboarding endpoints as plain static handlers (request, route values, services in; a result out) so the
/// Functions host binds the same methods to its HTTP triggers.
/// </summary>
public static class OnboardingHandlers
{
    public static async Task<IResult> Start(HttpRequest request, OnboardingStarter starter)
    {
        var (body, problem) = await ApiJson.ReadAsync<OnboardingRequest>(request);
        if (problem is not null)
        {
            return problem;
        }

        var started = await starter.StartAsync(body!, request.HttpContext.RequestAborted);
        if (started.Outcome == StartOutcome.Invalid)
        {
            return ApiProblems.Validation(started.Problems);
        }

        var links = ManagementLinks.For(request, started.InstanceId!);
        return started.Outcome == StartOutcome.AlreadyRunning
            ? ApiProblems.Conflict($"Number {body!.CountryCode}{body.Number} is already onboarding as '{started.InstanceId}'.", links.ToExtensions())
            : TypedResults.Accepted(links.StatusQueryGetUri, links);
    }

    /// <summary>One onboarding; <c>?showHistory=true</c> adds its timeline, as Durable Functions adds its history.</summary>
    public static async Task<IResult> Get(string id, HttpRequest request, IOrchestrationClient client)
    {
        var instance = await FindAsync(client, id, request.HttpContext.RequestAborted);
        var showHistory = bool.TryParse(request.Query["showHistory"], out var show) && show;
        return instance is null ? NotFound(id) : TypedResults.Ok(OnboardingView.From(instance, showHistory));
    }

    /// <summary>What happened to one onboarding, oldest first, as the workflow recorded it on either engine.</summary>
    public static async Task<IResult> Timeline(string id, IOrchestrationClient client, CancellationToken cancellationToken)
    {
        var instance = await FindAsync(client, id, cancellationToken);
        return instance is null
            ? NotFound(id)
            : TypedResults.Ok(new OnboardingTimelineView(instance.InstanceId, instance.RuntimeStatus.ToString(), OnboardingTimelines.Read(instance)));
    }

    public static async Task<IResult> List(HttpRequest request, IOrchestrationClient client)
    {
        var (query, problems) = OnboardingListQuery.Parse(request.Query);
        if (query is null)
        {
            return ApiProblems.Validation(problems);
        }

        OrchestrationQueryResult page;
        try
        {
            page = await client.QueryInstancesAsync(query.Query, request.HttpContext.RequestAborted);
        }
        catch (ArgumentException) when (query.Query.ContinuationToken is not null)
        {
            return ApiProblems.Validation("continuationToken", "Not a token returned by a previous page.");
        }

        // The stage lives in the custom status, which the engine does not index: a filtered page can be shorter than
        // top (even empty) while the token still leads on.
        var views = page.Instances.Select(OnboardingView.From).Where(query.Matches).ToList();
        if (page.ContinuationToken is { } token)
        {
            request.HttpContext.Response.Headers["x-ms-continuation-token"] = token;
        }

        return TypedResults.Ok(new OnboardingPage(views, page.ContinuationToken));
    }

    public static async Task<IResult> SubmitOtp(string id, HttpRequest request, IOrchestrationClient client, OnboardingStarter starter, OtpSubmissionLimiter limiter, TimeProvider time)
    {
        var (body, problem) = await ApiJson.ReadAsync<OtpRequest>(request);
        if (problem is not null)
        {
            return problem;
        }

        if (OnboardingStarter.TryNormalizeOtp(body!.Code) is not { } code)
        {
            return ApiProblems.Validation("code", "An OTP is 6 digits, optionally written as 123-456.");
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        if (await RunningOrProblemAsync(client, id, cancellationToken) is { } notRunning)
        {
            return notRunning;
        }

        // After the checks above, so only submissions that would reach a waiting onboarding count.
        if (limiter.TryAcquire(id) is { } retryAfter)
        {
            return ApiProblems.TooManyRequests(retryAfter, $"At most {limiter.PermitLimit} codes per onboarding every {limiter.Window.TotalSeconds:0} s (Onboarding:OtpSubmissions); try again later.");
        }

        await client.RaiseEventAsync(id, OnboardingEvents.Otp, starter.ProtectOtp(code, OtpSources.Api, time.GetUtcNow()), cancellationToken);
        return TypedResults.Accepted(ManagementLinks.For(request, id).StatusQueryGetUri);
    }

    /// <summary>Cancel with clean-up: the orchestrator deletes the deployment at Vonage and ends as Cancelled.</summary>
    public static async Task<IResult> Cancel(string id, HttpRequest request, IOrchestrationClient client)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (await RunningOrProblemAsync(client, id, cancellationToken) is { } notRunning)
        {
            return notRunning;
        }

        await client.RaiseEventAsync(id, OnboardingEvents.Cancel, new CancelRequested(Reason(request) ?? "Cancelled through the API."), cancellationToken);
        return TypedResults.Accepted(ManagementLinks.For(request, id).StatusQueryGetUri);
    }

    /// <summary>
    /// "Resend now": ends the current OTP window early and asks Vonage for a new code. Refused with 409 unless the
    /// onboarding waits for a code with a resend left (the workflow checks again: a request racing the last resend is recorded as refused).
    /// </summary>
    public static async Task<IResult> Resend(string id, HttpRequest request, IOrchestrationClient client)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken);
        if (instance is null || instance.Name != nameof(OnboardingOrchestrator))
        {
            return NotFound(id);
        }

        if (!instance.IsRunning)
        {
            return ApiProblems.Conflict($"Onboarding '{id}' is {instance.RuntimeStatus} and takes no more requests.");
        }

        var status = instance.ReadCustomStatusAs<OnboardingStatus>();
        if (status is not { Stage: OnboardingStage.WaitingForOtp or OnboardingStage.Verifying, Otp: { } otp })
        {
            return ApiProblems.Conflict($"Onboarding '{id}' is not waiting for a code (stage {status?.Stage.ToString() ?? "unknown"}); nothing to resend.");
        }

        if (otp.ResendsLeft <= 0)
        {
            return ApiProblems.Conflict($"Onboarding '{id}' has no resends left ({otp.Resends} used).");
        }

        await client.RaiseEventAsync(id, OnboardingEvents.Resend, new ResendRequested("operator"), cancellationToken);
        return TypedResults.Accepted(ManagementLinks.For(request, id).StatusQueryGetUri);
    }

    /// <summary>A hard stop: no clean-up at Vonage (the deployment stays as it is). Prefer the cancel.</summary>
    public static async Task<IResult> Terminate(string id, HttpRequest request, IOrchestrationClient client)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (await RunningOrProblemAsync(client, id, cancellationToken) is { } notRunning)
        {
            return notRunning;
        }

        await client.TerminateInstanceAsync(id, Reason(request) ?? "Terminated through the API.", cancellationToken);
        return TypedResults.Accepted(ManagementLinks.For(request, id).StatusQueryGetUri);
    }

    /// <summary>Deletes a finished onboarding's history; a running one must be cancelled or terminated first.</summary>
    public static async Task<IResult> Purge(string id, IOrchestrationClient client, CancellationToken cancellationToken)
    {
        var instance = await FindAsync(client, id, cancellationToken);
        if (instance is null)
        {
            return NotFound(id);
        }

        if (instance.IsRunning)
        {
            return ApiProblems.Conflict($"Onboarding '{id}' is {instance.RuntimeStatus}; cancel or terminate it before purging its history.");
        }

        return await client.PurgeInstanceAsync(id, cancellationToken)
            ? TypedResults.Ok(new PurgeResult(1))
            : NotFound(id);
    }

    private static async Task<OrchestrationMetadata?> FindAsync(IOrchestrationClient client, string id, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        return instance?.Name == nameof(OnboardingOrchestrator) ? instance : null;
    }

    private static async Task<IResult?> RunningOrProblemAsync(IOrchestrationClient client, string id, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken);
        if (instance is null || instance.Name != nameof(OnboardingOrchestrator))
        {
            return NotFound(id);
        }

        return instance.IsRunning ? null : ApiProblems.Conflict($"Onboarding '{id}' is {instance.RuntimeStatus} and takes no more requests.");
    }

    private static IResult NotFound(string id) => ApiProblems.NotFound($"No onboarding with id '{id}'.");

    private static string? Reason(HttpRequest request)
    {
        var reason = request.Query["reason"].ToString();
        return string.IsNullOrWhiteSpace(reason) ? null : reason[..Math.Min(reason.Length, 500)];
    }
}

public sealed record PurgeResult([property: JsonPropertyName("instancesDeleted")] int InstancesDeleted);
