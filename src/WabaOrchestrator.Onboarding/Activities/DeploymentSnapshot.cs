using WabaOrchestrator.Vonage.Deployments;

namespace WabaOrchestrator.Onboarding.Activities;

/// <summary>What the workflow needs to know of a Vonage deployment at one moment.</summary>
public sealed record DeploymentSnapshot(string DeploymentId, DeploymentState State, string? Detail, string? ApiKey)
{
    public static DeploymentSnapshot From(Deployment deployment) =>
        new(deployment.DeploymentId, deployment.State ?? DeploymentState.Initializing, deployment.CurrentState?.Detail, deployment.ApiKey);
}

/// <summary>How the workflow reads Vonage's deployment states.</summary>
public static class DeploymentStates
{
    /// <summary>The number is waiting for an OTP.</summary>
    public static bool AwaitsCode(this DeploymentState state) => state == DeploymentState.CodeSent || state == DeploymentState.WrongCode;

    /// <summary>The OTP step is behind us.</summary>
    public static bool IsVerified(this DeploymentState state) =>
        state == DeploymentState.CodeVerified || state == DeploymentState.Finalizing || state == DeploymentState.Ready;

    /// <summary>The deployment is gone or going: nothing more can happen to it.</summary>
    public static bool IsGone(this DeploymentState state) => state == DeploymentState.Deleting || state == DeploymentState.Deleted;
}
