using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding.Secrets;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Onboarding.Activities;

/// <summary>Submits a code. The plaintext exists only for the duration of this call.</summary>
public sealed class VerifyOtpActivity(IDeploymentsClient deployments, ISecretProtector secrets) : Activity<VerifyOtpInput, VerificationResult>
{
    public override async Task<VerificationResult> RunAsync(ActivityContext context, VerifyOtpInput input)
    {
        var code = secrets.Unprotect(input.ProtectedCode, SecretPurposes.Otp);
        try
        {
            var result = await deployments.VerifyOtpAsync(input.DeploymentId, code, context.CancellationToken);
            return new(VerifyOutcome.Verified, result.Status);
        }
        catch (VonageApiException ex) when (ex.IsVerificationFailed)
        {
            // One error code covers both cases; only the wording tells "too many attempts" apart.
            var tooMany = $"{ex.Title} {ex.Detail}".Contains("too many", StringComparison.OrdinalIgnoreCase);
            return new(tooMany ? VerifyOutcome.TooManyAttempts : VerifyOutcome.WrongCode, ex.Describe(), ex.Reply());
        }
        catch (VonageApiException ex) when (ex.IsConflict)
        {
            return new(VerifyOutcome.NotAllowed, ex.Describe(), ex.Reply());
        }
        catch (ArgumentException ex)
        {
            // A code the client refuses to send (not digits) is just a wrong code to the workflow.
            return new(VerifyOutcome.WrongCode, ex.Message);
        }
    }
}
