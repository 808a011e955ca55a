namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>What a client asked for in <c>POST /deployments</c>.</summary>
internal sealed record DeploymentRequest(string CountryCode, string Number, string VnameCertificate, string Method, string WabaId, string? Pin)
{
    public string FullNumber => CountryCode + Number;
}

/// <summary>The code last sent for a deployment, as <c>GET /_sandbox/deployments/{id}/otp</c> shows it.</summary>
internal sealed record OtpCode(string Code, string Method, DateTimeOffset SentAt);

/// <summary>
/// One deployment and its mutable state. Every read and write of the mutable members happens under
/// <see cref="Gate"/>; responses are built from snapshots taken under it.
/// </summary>
internal sealed class Deployment(string id, long sequence, DeploymentRequest request, string apiKey)
{
    public Lock Gate { get; } = new();

    public string Id => id;

    /// <summary>Creation order, used to pick which deployments to forget first.</summary>
    public long Sequence => sequence;

    public DeploymentRequest Request => request;

    public string ApiKey => apiKey;

    public DeploymentState State { get; set; } = DeploymentState.Initializing;

    public string Detail { get; set; } = DeploymentState.Initializing.DefaultDetail();

    /// <summary>OTP delivery method: the one asked at provisioning, or at the latest resend.</summary>
    public string Method { get; set; } = request.Method;

    public OtpCode? Otp { get; set; }

    public int CodesSent { get; set; }

    public int WrongAttempts { get; set; }

    public ITimer? StepTimer { get; set; }

    /// <summary>When the step timer fires, absolute, so the clock survives a restart; null when no step is pending.</summary>
    public DateTimeOffset? NextStepAt { get; set; }

    /// <summary>Set when the store forgets the deployment (reset or eviction); pending timer steps then do nothing.</summary>
    public bool Removed { get; set; }

    public BusinessProfile Profile { get; set; } = BusinessProfile.Default;

    public string PhotoUrl { get; set; } = "";

    public List<StickerPack> StickerPacks { get; } = [];

    public DeploymentResponse Snapshot() => new(id, request.WabaId, request.CountryCode, request.Number, apiKey, new CurrentState(State.Title(), Detail));
}

internal sealed record CurrentState(string Title, string Detail);

internal sealed record DeploymentResponse(string DeploymentId, string WabaId, string CountryCode, string Number, string ApiKey, CurrentState CurrentState);
