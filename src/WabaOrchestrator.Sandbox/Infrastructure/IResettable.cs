namespace WabaOrchestrator.Sandbox.Infrastructure;

/// <summary>State that <c>POST /_sandbox/reset</c> clears.</summary>
internal interface IResettable
{
    void Reset();
}
