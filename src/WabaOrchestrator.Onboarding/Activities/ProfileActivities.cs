using WabaOrchestrator.Durable;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Profile;

namespace WabaOrchestrator.Onboarding.Activities;

/// <summary>Applies the business profile. A rejection leaves a usable number, so it is an outcome, not a failure.</summary>
public sealed class UpdateProfileActivity(IProfileClient profiles) : Activity<UpdateProfileInput, StepOutcome>
{
    public override async Task<StepOutcome> RunAsync(ActivityContext context, UpdateProfileInput input)
    {
        try
        {
            await profiles.UpdateProfileAsync(input.DeploymentId, input.Profile, context.CancellationToken);
            return new(true, null);
        }
        catch (VonageApiException ex) when (ex.IsUnprocessable)
        {
            return new(false, ex.Describe());
        }
        catch (ArgumentException ex)
        {
            // The client's own copy of Vonage's rules refused it (an input persisted under older rules): same outcome.
            return new(false, ex.Message);
        }
    }
}

/// <summary>Sets the profile photo from a URL Vonage fetches; a rejection is an outcome, as for the profile.</summary>
public sealed class UpdatePhotoActivity(IProfileClient profiles) : Activity<UpdatePhotoInput, StepOutcome>
{
    public override async Task<StepOutcome> RunAsync(ActivityContext context, UpdatePhotoInput input)
    {
        try
        {
            await profiles.UpdatePhotoAsync(input.DeploymentId, input.PhotoUrl, context.CancellationToken);
            return new(true, null);
        }
        catch (VonageApiException ex) when (ex.IsUnprocessable)
        {
            return new(false, ex.Describe());
        }
        catch (ArgumentException ex)
        {
            // The client's own copy of Vonage's rules refused it (an input persisted under older rules): same outcome.
            return new(false, ex.Message);
        }
    }
}
