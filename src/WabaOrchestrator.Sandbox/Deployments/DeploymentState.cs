namespace WabaOrchestrator.Sandbox.Deployments;

internal enum DeploymentState
{
    Initializing,
    CreatingCluster,
    ClusterCreated,
    CodeSent,
    WrongCode,
    CodeVerified,
    Finalizing,
    Ready,
    Error,
    Deleting,
    Deleted,
}

internal static class DeploymentStates
{
    public static string Title(this DeploymentState state) => state switch
    {
        DeploymentState.Initializing => "INITIALIZING",
        DeploymentState.CreatingCluster => "CREATING_CLUSTER",
        DeploymentState.ClusterCreated => "CLUSTER_CREATED",
        DeploymentState.CodeSent => "CODE_SENT",
        DeploymentState.WrongCode => "WRONG_CODE",
        DeploymentState.CodeVerified => "CODE_VERIFIED",
        DeploymentState.Finalizing => "FINALIZING",
        DeploymentState.Ready => "READY",
        DeploymentState.Error => "ERROR",
        DeploymentState.Deleting => "DELETING",
        DeploymentState.Deleted => "DELETED",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static string DefaultDetail(this DeploymentState state) => state switch
    {
        DeploymentState.Initializing => "Initializing deployment",
        DeploymentState.CreatingCluster => "Creating WhatsApp cluster",
        DeploymentState.ClusterCreated => "WhatsApp cluster created",
        DeploymentState.CodeSent => "Verification code sent",
        DeploymentState.WrongCode => "Wrong verification code provided",
        DeploymentState.CodeVerified => "Verification code accepted",
        DeploymentState.Finalizing => "Finalizing deployment",
        DeploymentState.Ready => "Deployment is ready",
        DeploymentState.Error => "Deployment failed",
        DeploymentState.Deleting => "Deleting deployment",
        DeploymentState.Deleted => "Deployment deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>The state the step timer moves to next, or null where only a client call moves the deployment.</summary>
    public static DeploymentState? AutomaticSuccessor(this DeploymentState state) => state switch
    {
        DeploymentState.Initializing => DeploymentState.CreatingCluster,
        DeploymentState.CreatingCluster => DeploymentState.ClusterCreated,
        DeploymentState.ClusterCreated => DeploymentState.CodeSent,
        DeploymentState.CodeVerified => DeploymentState.Finalizing,
        DeploymentState.Finalizing => DeploymentState.Ready,
        DeploymentState.Deleting => DeploymentState.Deleted,
        _ => null,
    };

    /// <summary>A deployment in these states no longer holds its number.</summary>
    public static bool ReleasesNumber(this DeploymentState state) => state is DeploymentState.Deleted or DeploymentState.Error;

    public static bool AwaitsCode(this DeploymentState state) => state is DeploymentState.CodeSent or DeploymentState.WrongCode;

    public static bool BeforeCode(this DeploymentState state) =>
        state is DeploymentState.Initializing or DeploymentState.CreatingCluster or DeploymentState.ClusterCreated;
}
