using System.Globalization;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Onboardings;

/// <summary>
/// The list filters, named as Durable Functions names them: <c>runtimeStatus</c> (comma-separated), <c>top</c>
/// (1..1000, default 100), <c>continuationToken</c>, <c>createdTimeFrom</c>/<c>createdTimeTo</c>,
/// <c>instanceIdPrefix</c>, plus <c>stage</c> (the onboarding stage in the custom status).
/// </summary>
public sealed record OnboardingListQuery(OrchestrationQuery Query, IReadOnlySet<OnboardingStage>? Stages)
{
    public const int DefaultTop = 100;
    public const int MaxTop = 1000;

    public static (OnboardingListQuery? Value, IReadOnlyList<ValidationProblem> Problems) Parse(IQueryCollection query)
    {
        var problems = new List<ValidationProblem>();
        var statuses = ParseList<OrchestrationRuntimeStatus>(query, "runtimeStatus", problems);
        var stages = ParseList<OnboardingStage>(query, "stage", problems);

        var top = DefaultTop;
        if (Single(query, "top") is { } rawTop && (!int.TryParse(rawTop, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > MaxTop))
        {
            problems.Add(new("top", $"Must be a whole number from 1 to {MaxTop}."));
        }

        var from = ParseTime(query, "createdTimeFrom", problems);
        var to = ParseTime(query, "createdTimeTo", problems);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var orchestrationQuery = new OrchestrationQuery
        {
            Name = nameof(OnboardingOrchestrator),
            Statuses = statuses,
            PageSize = top,
            ContinuationToken = Single(query, "continuationToken"),
            CreatedFrom = from,
            CreatedTo = to,
            InstanceIdPrefix = Single(query, "instanceIdPrefix"),
            FetchInputsAndOutputs = true,
        };
        return (new(orchestrationQuery, stages?.ToHashSet()), problems);
    }

    public bool Matches(OnboardingView view) =>
        Stages is null || (view.CustomStatus is { } status
            && status.TryGetProperty("stage", out var stage)
            && Enum.TryParse<OnboardingStage>(stage.GetString(), ignoreCase: true, out var value)
            && Stages.Contains(value));

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && !string.IsNullOrWhiteSpace(values.ToString()) ? values.ToString().Trim() : null;

    private static List<T>? ParseList<T>(IQueryCollection query, string name, List<ValidationProblem> problems) where T : struct, Enum
    {
        if (Single(query, name) is not { } raw)
        {
            return null;
        }

        var values = new List<T>();
        foreach (var part in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Names only: Enum.TryParse would also take "3" or "Running, 99".
            if (!Enum.GetNames<T>().Contains(part, StringComparer.OrdinalIgnoreCase) || !Enum.TryParse<T>(part, ignoreCase: true, out var value))
            {
                problems.Add(new(name, $"'{part}' is not one of {string.Join(", ", Enum.GetNames<T>())}."));
                return null;
            }

            values.Add(value);
        }

        return values;
    }

    private static DateTimeOffset? ParseTime(IQueryCollection query, string name, List<ValidationProblem> problems)
    {
        if (Single(query, name) is not { } raw)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        problems.Add(new(name, "Must be an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z."));
        return null;
    }
}
