using System.Text.RegularExpressions;

namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>
/// The simulated Meta review: a template is APPROVED once its review delay has passed, unless its
/// BODY contains one of <see cref="BlockedWords"/> (whole word, any case), which gets it REJECTED.
/// </summary>
internal static partial class TemplateReview
{
    public const string RejectedReason = "ABUSIVE_CONTENT";

    public static readonly IReadOnlyList<string> BlockedWords = ["casino", "gambling", "jackpot", "lottery"];

    public static Template Decide(Template pending) => BlockedWordPattern().IsMatch(BodyOf(pending))
        ? pending with { Status = TemplateStatuses.Rejected, RejectedReason = RejectedReason, QualityScore = null }
        : pending with { Status = TemplateStatuses.Approved, RejectedReason = null, QualityScore = QualityScores.Unknown };

    private static string BodyOf(Template template) =>
        template.Components.FirstOrDefault(c => c.Type == ComponentTypes.Body)?.Text ?? "";

    [GeneratedRegex(@"\b(casino|gambling|jackpot|lottery)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockedWordPattern();
}
