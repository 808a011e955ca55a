using WabaOrchestrator.Durable;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Onboarding.Activities;

/// <summary>Asks Vonage for a new code (invalidating the previous one).</summary>
public sealed class ResendOtpActivity(IDeploymentsClient deployments) : Activity<ResendOtpInput, ResendResult>
{
    public override async Task<ResendResult> RunAsync(ActivityContext context, ResendOtpInput input)
    {
        try
        {
            var result = await deployments.ResendOtpAsync(input.DeploymentId, input.Method, context.CancellationToken);
            return new(ResendOutcome.Sent, result.Message);
        }
        catch (VonageApiException ex) when (ex.IsThrottled)
        {
            return new(ResendOutcome.Throttled, ex.Describe(), ex.RetryAfter, ex.Reply());
        }
        catch (VonageApiException ex) when (ex.IsConflict)
        {
            return new(ResendOutcome.NotAllowed, ex.Describe(), Refusal: ex.Reply());
        }
    }
}
