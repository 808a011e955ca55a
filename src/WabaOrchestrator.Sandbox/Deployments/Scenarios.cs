namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>Documented inputs that make the sandbox take the unhappy paths (docs/sandbox.md, "Scenario numbers").</summary>
internal static class Scenarios
{
    /// <summary>A <c>vname_certificate</c> starting with "invalid" fails after CLUSTER_CREATED, as Vonage does for a bad certificate.</summary>
    public static bool HasInvalidCertificate(DeploymentRequest request) =>
        request.VnameCertificate.StartsWith("invalid", StringComparison.OrdinalIgnoreCase);

    public const string InvalidCertificateDetail = "Invalid vname certificate";

    /// <summary>
    /// Whether code number <paramref name="codeNumber"/> (1 = the first) reaches the inbound-SMS webhook:
    /// a number ending 0001 loses its first code (resends arrive), one ending 0002 never gets any.
    /// </summary>
    public static bool DeliversCode(DeploymentRequest request, int codeNumber) =>
        !request.Number.EndsWith("0002", StringComparison.Ordinal)
        && !(request.Number.EndsWith("0001", StringComparison.Ordinal) && codeNumber == 1);
}
