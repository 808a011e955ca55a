using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>Path ids, checked before anything is forwarded: the client's rules plus a length bound.</summary>
public static class ProxyRules
{
    /// <summary>Longer than any id Vonage issues (UUIDs, 15-digit WABA ids), short enough to keep junk out of logs.</summary>
    public const int MaxIdLength = 128;

    public static IReadOnlyList<ValidationProblem> Id(string field, string? value)
    {
        var problems = VonageRules.Id(field, value);
        return problems.Count == 0 && value!.Length > MaxIdLength
            ? [new ValidationProblem(field, $"Must be at most {MaxIdLength} characters.")]
            : problems;
    }

    public static IReadOnlyList<ValidationProblem> Ids(params (string Field, string? Value)[] ids) =>
        [.. ids.SelectMany(id => Id(id.Field, id.Value))];
}
