using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Control;

/// <summary>Fault settings of <c>POST /_sandbox/faults</c>: rates are probabilities in [0, 1].</summary>
internal sealed record FaultSettings(double ThrottleRate, double ErrorRate, int LatencyMs)
{
    public static readonly FaultSettings None = new(0, 0, 0);
}

internal enum InjectedFault
{
    None,
    Throttled,
    Error,
}

/// <summary>Decides per request whether to fail it: the <c>X-Sandbox-Fault</c> header wins over the random rates.</summary>
internal sealed class FaultInjector : IResettable
{
    public const string HeaderName = "X-Sandbox-Fault";

    /// <summary>What an injected 429 asks the client to wait.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private volatile FaultSettings _settings = FaultSettings.None;

    public FaultSettings Settings
    {
        get => _settings;
        set => _settings = value;
    }

    /// <summary>Null when the header holds an unknown value.</summary>
    public InjectedFault? Decide(HttpRequest request)
    {
        var header = request.Headers[HeaderName];
        if (header.Count > 0)
        {
            return header.ToString().Trim().ToLowerInvariant() switch
            {
                "throttled" => InjectedFault.Throttled,
                "error" => InjectedFault.Error,
                "" or "none" => InjectedFault.None,
                _ => null,
            };
        }

        var settings = _settings;
        if (settings.ThrottleRate > 0 && Random.Shared.NextDouble() < settings.ThrottleRate)
        {
            return InjectedFault.Throttled;
        }

        return settings.ErrorRate > 0 && Random.Shared.NextDouble() < settings.ErrorRate ? InjectedFault.Error : InjectedFault.None;
    }

    public void Reset() => _settings = FaultSettings.None;
}
