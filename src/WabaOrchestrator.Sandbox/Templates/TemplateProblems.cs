using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Templates;

internal static class TemplateProblems
{
    public static VonageProblemResult Invalid(IReadOnlyList<InvalidParameter> errors) =>
        VonageProblems.Unprocessable(VonageApi.TemplateManagement, errors);

    public static VonageProblemResult Invalid(string detail, InvalidParameter error) =>
        VonageProblems.Create(VonageApi.TemplateManagement, StatusCodes.Status422UnprocessableEntity, "1020", "Invalid params", detail, [error]);

    public static VonageProblemResult StoreLimit(string detail) =>
        VonageProblems.Create(VonageApi.TemplateManagement, StatusCodes.Status422UnprocessableEntity, "1020", "Invalid params", detail);

    public static VonageProblemResult NotFound(string wabaId, string templateId) =>
        VonageProblems.NotFound(VonageApi.TemplateManagement, $"No template with id {templateId} exists in WABA {wabaId}.");

    public static VonageProblemResult NotFoundByName(string wabaId, string name, string? hsmId) =>
        VonageProblems.NotFound(VonageApi.TemplateManagement, string.IsNullOrEmpty(hsmId)
            ? $"No template named {name} exists in WABA {wabaId}."
            : $"No template named {name} with id {hsmId} exists in WABA {wabaId}.");
}
