namespace WabaOrchestrator.EndToEnd.Tests.BadInput;

/// <summary>The real state the corpus aims at: ids that exist, so bad bodies hit existing resources too.</summary>
/// <param name="ApiKey">The host's valid key.</param>
/// <param name="SignatureSecret">The inbound-SMS webhook's signature secret, so webhook cases can get past the signature.</param>
/// <param name="InstanceId">A completed onboarding.</param>
/// <param name="DeploymentId">Its READY deployment at the sandbox.</param>
/// <param name="WabaId">Its WABA.</param>
/// <param name="TemplateId">A template that exists in that WABA.</param>
public sealed record CorpusContext(string ApiKey, string SignatureSecret, string InstanceId, string DeploymentId, string WabaId, string TemplateId)
{
    /// <summary>A made-up secret every bad onboarding carries as its certificate or PIN: it must never come back or be logged.</summary>
    public const string SecretMarker = "corpus-secret-7f3a9c";

    /// <summary>A number nobody onboards: a request that slipped through would show up in the list as this instance.</summary>
    public const string FreshNumber = "7700900999";

    public const string UnknownInstanceId = "waba-449999999999";

    /// <summary>Shaped like Vonage's deployment ids, known to nobody.</summary>
    public const string UnknownDeploymentId = "00000000-0000-4000-8000-000000000000";

    public string Deployment => $"/api/deployments/{DeploymentId}";

    public string Templates => $"/api/wabas/{WabaId}/templates";
}
