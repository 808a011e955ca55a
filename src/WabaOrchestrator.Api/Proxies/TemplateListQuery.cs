using System.Globalization;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Vonage.Models;
using WabaOrchestrator.Vonage.Templates;
using WabaOrchestrator.Vonage.Validation;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>The template list's query string, read into the client's <see cref="TemplateQuery"/> with every problem named.</summary>
public static class TemplateListQuery
{
    /// <summary>Every parameter Vonage's list takes; the only ones a rewritten paging link carries.</summary>
    public static readonly IReadOnlyList<string> Parameters =
        ["limit", "before", "after", "category", "content", "language", "name", "name_or_content", "quality_score", "status"];

    public static (TemplateQuery Query, IReadOnlyList<ValidationProblem> Problems) Read(IQueryCollection query)
    {
        var problems = new List<ValidationProblem>();
        int? limit = null;
        if (Value(query, "limit") is { } rawLimit)
        {
            if (int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                limit = parsed;
            }
            else
            {
                problems.Add(new ValidationProblem(VonageFields.Limit, $"Must be a whole number between 1 and {VonageRules.MaxLimit}."));
            }
        }

        var result = new TemplateQuery
        {
            Limit = limit,
            Before = Value(query, "before"),
            After = Value(query, "after"),
            Category = Known<TemplateCategory>(query, "category", problems),
            Content = Value(query, "content"),
            Language = Value(query, "language"),
            Name = Value(query, "name"),
            NameOrContent = Value(query, "name_or_content"),
            QualityScore = Known<TemplateQualityScore>(query, "quality_score", problems),
            Status = Known<TemplateStatus>(query, "status", problems),
        };
        problems.AddRange(VonageRules.Query(result));
        return (result, problems);
    }

    /// <summary>The last non-empty value (an empty one means "no filter", as Vonage treats it).</summary>
    public static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.LastOrDefault() is { Length: > 0 } value ? value : null;

    // Enum filters are matched case-insensitively and sent in Vonage's spelling; an unknown value is refused here
    // rather than turned into an empty page by Vonage.
    private static T? Known<T>(IQueryCollection query, string name, List<ValidationProblem> problems) where T : struct, IStringValue<T>
    {
        if (Value(query, name) is not { } raw)
        {
            return null;
        }

        foreach (var known in T.Known)
        {
            if (string.Equals(known.Value, raw, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        problems.Add(new ValidationProblem(name, $"Must be one of: {string.Join(", ", T.Known.Select(k => k.Value))}."));
        return null;
    }
}
