using Microsoft.AspNetCore.Http.Extensions;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Templates;

internal enum PageDirection
{
    Forward,
    Backward,
}

/// <summary>Where a page starts: the first page, after a template, or before one.</summary>
internal sealed record PageStart(PageDirection Direction, long? TemplateId)
{
    public static readonly PageStart First = new(PageDirection.Forward, null);
}

/// <summary>The list filters; text filters match partially and ignore case, enums match exactly.</summary>
internal sealed record TemplateFilter(
    string? Category, string? Content, string? Language, string? Name, string? NameOrContent, string? QualityScore, string? Status)
{
    public bool Matches(Template template) =>
        (Category is null || template.Category == Category)
        && (Status is null || template.Status == Status)
        && (QualityScore is null || template.QualityScore == QualityScore)
        && (Language is null || template.Language.Equals(Language, StringComparison.OrdinalIgnoreCase))
        && (Name is null || Contains(template.Name, Name))
        && (Content is null || ContentContains(template, Content))
        && (NameOrContent is null || Contains(template.Name, NameOrContent) || ContentContains(template, NameOrContent));

    private static bool Contains(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;

    private static bool ContentContains(Template template, string part) =>
        template.Components.Any(c => Contains(c.Text, part) || c.Buttons?.Any(b => Contains(b.Text, part)) == true);
}

internal sealed record TemplateListQuery(int Limit, PageStart Start, TemplateFilter Filter)
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 500;

    public static (TemplateListQuery? Query, IReadOnlyList<InvalidParameter> Errors) Parse(IQueryCollection query)
    {
        var errors = new List<InvalidParameter>();
        var limit = DefaultLimit;
        if (Value(query, "limit") is { } rawLimit && (!int.TryParse(rawLimit, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.Add(new("limit", $"Must be an integer from 1 to {MaxLimit}."));
        }

        var start = PageStart.First;
        var after = Value(query, "after");
        var before = Value(query, "before");
        if (after is not null && before is not null)
        {
            errors.Add(new("before", "Use either before or after, not both."));
        }
        else if ((after ?? before) is { } cursor)
        {
            if (TemplateCursor.TryDecode(cursor, out var id))
            {
                start = new PageStart(after is null ? PageDirection.Backward : PageDirection.Forward, id);
            }
            else
            {
                errors.Add(new(after is null ? "before" : "after", "Is not a cursor returned by this API."));
            }
        }

        var filter = new TemplateFilter(
            Enum(query, "category", TemplateCategories.All, errors),
            Value(query, "content"),
            Value(query, "language"),
            Value(query, "name"),
            Value(query, "name_or_content"),
            Enum(query, "quality_score", QualityScores.All, errors),
            Enum(query, "status", TemplateStatuses.Filterable, errors));
        return errors.Count == 0 ? (new TemplateListQuery(limit, start, filter), errors) : (null, errors);
    }

    /// <summary>
    /// An absolute link to another page, built from the current request (scheme, host, path base and
    /// path), so it points at this sandbox whatever prefix it is mounted under, keeping the filters.
    /// </summary>
    public static string PageLink(HttpRequest request, string cursorName, string cursor)
    {
        var parameters = request.Query
            .Where(p => p.Key is not ("after" or "before"))
            .Append(new(cursorName, cursor));
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, QueryString.Create(parameters));
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.LastOrDefault() is { Length: > 0 } value ? value : null;

    private static string? Enum(IQueryCollection query, string name, IReadOnlyList<string> allowed, List<InvalidParameter> errors)
    {
        if (Value(query, name) is not { } value)
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            errors.Add(new(name, "Must be one of " + string.Join(", ", allowed) + "."));
        }

        return match;
    }
}
