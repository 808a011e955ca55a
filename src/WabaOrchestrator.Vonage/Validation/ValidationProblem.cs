namespace WabaOrchestrator.Vonage.Validation;

/// <summary>
/// One reason Vonage would refuse an input. <see cref="Field"/> is the JSON name (or path, e.g.
/// <c>components[0].text</c>), so a host can return the list as <c>invalid_parameters</c> as is.
/// </summary>
public sealed record ValidationProblem(string Field, string Reason);
