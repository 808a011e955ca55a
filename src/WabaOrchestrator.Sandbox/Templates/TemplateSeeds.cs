namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>
/// The templates every WABA starts with: one per category, several languages, and the statuses a
/// client must cope with (APPROVED with each quality score, PAUSED, REJECTED, DISABLED).
/// </summary>
internal static class TemplateSeeds
{
    public static IReadOnlyList<Template> Create(Func<long> nextId)
    {
        Template Seed(string name, string language, string status, string category, string? quality, params TemplateComponent[] components) =>
            new(nextId().ToString(System.Globalization.CultureInfo.InvariantCulture), name, language, status, category,
                null, quality, status == TemplateStatuses.Rejected ? TemplateReview.RejectedReason : null, components);

        return
        [
            Seed("sample_issue_resolution", "en", TemplateStatuses.Approved, TemplateCategories.Utility, QualityScores.Green,
                Body("Your parcel from {{1}} is due to arrive on {{2}} between {{3}} and {{4}}.", "Courier", "May 1st", "3:00PM", "4:00PM"))
                with { PreviousCategory = TemplateCategories.Marketing },
            Seed("sample_shipping_confirmation", "en_US", TemplateStatuses.Approved, TemplateCategories.Utility, QualityScores.Yellow,
                new TemplateComponent(ComponentTypes.Header, ComponentFormats.Text, "Your order has shipped"),
                Body("Your package {{1}} has shipped and should be delivered in {{2}} business days.", "A-1042", "3"),
                new TemplateComponent(ComponentTypes.Footer, ComponentFormats.Text, "Reply STOP to opt out")),
            Seed("verification_code", "en", TemplateStatuses.Approved, TemplateCategories.Authentication, QualityScores.Unknown,
                Body("Your verification code is {{1}}. Do not share it.", "123456")),
            Seed("codigo_verificacion", "es", TemplateStatuses.Approved, TemplateCategories.Authentication, QualityScores.Green,
                Body("Tu código de verificación es {{1}}. No lo compartas.", "123456")),
            Seed("summer_offer", "en", TemplateStatuses.Paused, TemplateCategories.Marketing, QualityScores.Red,
                Body("Hi {{1}}, our summer special offer is back: 20% off everything this week.", "Ana"),
                new TemplateComponent(ComponentTypes.Buttons, Buttons:
                [
                    new TemplateButton(ButtonTypes.QuickReply, "Yes please"),
                    new TemplateButton(ButtonTypes.Url, "See the offer", Url: "https://example.com/special-offer-opt-in"),
                ])),
            Seed("weekly_jackpot", "fr", TemplateStatuses.Rejected, TemplateCategories.Marketing, null,
                Body("Tentez votre chance au jackpot de la semaine, {{1}} !", "Louis")),
            Seed("legacy_account_update", "pt_BR", TemplateStatuses.Disabled, TemplateCategories.Utility, null,
                Body("Olá {{1}}, sua conta foi atualizada.", "Maria")),
        ];
    }

    private static TemplateComponent Body(string text, params string[] examples) =>
        new(ComponentTypes.Body, ComponentFormats.Text, text, examples.Length == 0 ? null : new TemplateExample(BodyText: [examples]));
}
