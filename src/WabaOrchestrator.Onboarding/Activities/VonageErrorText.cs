using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Onboarding.Activities;

internal static class VonageErrorText
{
    /// <summary>Vonage's detail plus each invalid parameter: what an operator needs to fix the request.</summary>
    public static string Describe(this VonageApiException exception)
    {
        var detail = exception.Detail ?? exception.Title ?? exception.Message;
        return exception.InvalidParameters.Count == 0
            ? detail
            : $"{detail} ({string.Join("; ", exception.InvalidParameters.Select(p => $"{p.Name}: {p.Reason}"))})";
    }

    /// <summary>The non-secret part of a refusal the timeline records.</summary>
    public static VonageReply Reply(this VonageApiException exception) => new((int)exception.StatusCode, exception.Code);
}
