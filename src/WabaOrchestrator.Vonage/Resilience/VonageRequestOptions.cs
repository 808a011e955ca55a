namespace WabaOrchestrator.Vonage.Resilience;

/// <summary>Per-request switches the client sets on <see cref="HttpRequestMessage.Options"/>.</summary>
public static class VonageRequestOptions
{
    /// <summary>
    /// Set on requests whose body cannot be sent twice (an upload from a forward-only stream): such a
    /// request is attempted once, whatever the outcome.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("Vonage.NoRetry");
}
