using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Onboarding.Activities;

namespace WabaOrchestrator.Functions.Orchestration;

/// <summary>
/// One activity function per onboarding activity, named as the orchestrator calls it (the class name). Each resolves the
/// Onboarding activity class from a fresh DI scope, as the embedded engine does, and runs it.
/// </summary>
public sealed class OnboardingActivityFunctions(IServiceScopeFactory scopes)
{
    [Function(nameof(ProvisionDeploymentActivity))]
    public Task<ProvisionDeploymentResult> ProvisionDeployment([ActivityTrigger] ProvisionDeploymentInput input, FunctionContext context, CancellationToken cancellationToken) =>
        RunAsync<ProvisionDeploymentActivity, ProvisionDeploymentInput, ProvisionDeploymentResult>(input, context, cancellationToken);

    [Function(nameof(GetDeploymentActivity))]
    public Task<DeploymentSnapshot?> GetDeployment([ActivityTrigger] string deploymentId, FunctionContext context, CancellationToken cancellationToken) =>
        RunAsync<GetDeploymentActivity, string, DeploymentSnapshot?>(deploymentId, context, cancellationToken);

    [Function(nameof(ResendOtpActivity))]
    public Task<ResendResult> ResendOtp([ActivityTrigger] ResendOtpInput input, FunctionContext context, CancellationToken cancellationToken) =>
        RunAsync<ResendOtpActivity, ResendOtpInput, ResendResult>(input, context, cancellationToken);

    [Function(nameof(VerifyOtpActivity))]
    public Task<VerificationResult> VerifyOtp([ActivityTrigger] VerifyOtpInput input, FunctionContext context, CancellationToken cancellationToken) =>
        RunAsync<VerifyOtpActivity, VerifyOtpInput, VerificationResult>(input, context, cancellationToken);

    [Function(nameof(UpdateProfileActivity))]
    public Task<StepOutcome> UpdateProfile([ActivityTrigger] UpdateProfileInput input, FunctionContext context, CancellationToken cancellationToken) =>
        RunAsync<UpdateProfileActivity, UpdateProfileInput, StepOutcome>(input, context, cancellationToken);

    [Function(nameof(UpdatePhotoActivity))]
    public Task<StepOutcome> UpdatePhoto([ActivityTrigger] UpdatePhotoInput input, FunctionContext context, CancellationToken cancellationToken) =>
        RunAsync<UpdatePhotoActivity, UpdatePhotoInput, StepOutcome>(input, context, cancellationToken);

    [Function(nameof(DeleteDeploymentActivity))]
    public Task<bool> DeleteDeployment([ActivityTrigger] string deploymentId, FunctionContext context, CancellationToken cancellationToken) =>
        RunAsync<DeleteDeploymentActivity, string, bool>(deploymentId, context, cancellationToken);

    [Function(nameof(NotifyCallbackActivity))]
    public Task<bool> NotifyCallback([ActivityTrigger] NotifyCallbackInput input, FunctionContext context, CancellationToken cancellationToken) =>
        RunAsync<NotifyCallbackActivity, NotifyCallbackInput, bool>(input, context, cancellationToken);

    private async Task<TOutput> RunAsync<TActivity, TInput, TOutput>(TInput input, FunctionContext context, CancellationToken cancellationToken)
        where TActivity : Activity<TInput, TOutput>
    {
        await using var scope = scopes.CreateAsyncScope();
        var activity = scope.ServiceProvider.GetRequiredService<TActivity>();
        return await activity.RunAsync(new ActivityContext(typeof(TActivity).Name, InstanceIdOf(context), cancellationToken), input);
    }

    // The activity trigger's binding data carries the calling orchestration's id.
    private static string InstanceIdOf(FunctionContext context) =>
        context.BindingContext.BindingData.TryGetValue("instanceId", out var id) && id is string instanceId ? instanceId : "";
}
