using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Deployments;

/// <summary>A deployment's <c>current_state.title</c>. Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<DeploymentState>))]
public readonly record struct DeploymentState(string Value) : IStringValue<DeploymentState>
{
    public static DeploymentState Initializing { get; } = new("INITIALIZING");

    public static DeploymentState CreatingCluster { get; } = new("CREATING_CLUSTER");

    public static DeploymentState ClusterCreated { get; } = new("CLUSTER_CREATED");

    public static DeploymentState CodeSent { get; } = new("CODE_SENT");

    public static DeploymentState WrongCode { get; } = new("WRONG_CODE");

    public static DeploymentState CodeVerified { get; } = new("CODE_VERIFIED");

    public static DeploymentState Finalizing { get; } = new("FINALIZING");

    public static DeploymentState Ready { get; } = new("READY");

    public static DeploymentState Error { get; } = new("ERROR");

    public static DeploymentState Deleting { get; } = new("DELETING");

    public static DeploymentState Deleted { get; } = new("DELETED");

    public static IReadOnlyList<DeploymentState> Known { get; } = [Initializing, CreatingCluster, ClusterCreated, CodeSent, WrongCode, CodeVerified, Finalizing, Ready, Error, Deleting, Deleted];

    public static DeploymentState From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
