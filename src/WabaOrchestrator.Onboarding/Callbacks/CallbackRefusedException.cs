namespace WabaOrchestrator.Onboarding.Callbacks;

/// <summary>A status callback that was not sent because its URL or the addresses its host resolves to are not allowed.</summary>
public sealed class CallbackRefusedException : Exception
{
    public CallbackRefusedException()
    {
    }

    public CallbackRefusedException(string message)
        : base(message)
    {
    }

    public CallbackRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
