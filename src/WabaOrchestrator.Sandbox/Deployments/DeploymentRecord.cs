namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>
/// A deployment as the data directory keeps it. The step clock is an absolute due time, so a step that fell due while
/// the sandbox was down happens as soon as it is back. The certificate is reduced to the one fact the sandbox acts on
/// (a scenario "invalid" one or not) and the PIN is dropped: neither is needed again and neither should sit on disk.
/// </summary>
internal sealed record DeploymentRecord(
    string Id,
    long Sequence,
    DeploymentRequest Request,
    string ApiKey,
    DeploymentState State,
    string Detail,
    string Method,
    OtpCode? Otp,
    int CodesSent,
    int WrongAttempts,
    DateTimeOffset? NextStepAt,
    BusinessProfile Profile,
    string PhotoUrl,
    IReadOnlyList<StickerPackRecord> StickerPacks)
{
    public static DeploymentRecord Of(Deployment deployment) => new(
        deployment.Id,
        deployment.Sequence,
        deployment.Request with { VnameCertificate = Scenarios.HasInvalidCertificate(deployment.Request) ? "invalid" : "", Pin = null },
        deployment.ApiKey,
        deployment.State,
        deployment.Detail,
        deployment.Method,
        deployment.Otp,
        deployment.CodesSent,
        deployment.WrongAttempts,
        deployment.NextStepAt,
        deployment.Profile,
        deployment.PhotoUrl,
        [.. deployment.StickerPacks.Select(p => new StickerPackRecord(p.Id, p.Name, p.Publisher, p.IosAppStoreLink, p.AndroidAppStoreLink, p.LastIndex, [.. p.Stickers]))]);

    public Deployment ToDeployment()
    {
        var deployment = new Deployment(Id, Sequence, Request, ApiKey)
        {
            State = State,
            Detail = Detail,
            Method = Method,
            Otp = Otp,
            CodesSent = CodesSent,
            WrongAttempts = WrongAttempts,
            NextStepAt = NextStepAt,
            Profile = Profile,
            PhotoUrl = PhotoUrl,
        };
        foreach (var pack in StickerPacks)
        {
            var restored = new StickerPack(pack.Id, pack.Name, pack.Publisher, pack.IosAppStoreLink, pack.AndroidAppStoreLink) { LastIndex = pack.LastIndex };
            restored.Stickers.AddRange(pack.Stickers);
            deployment.StickerPacks.Add(restored);
        }

        return deployment;
    }
}

internal sealed record StickerPackRecord(
    string Id, string Name, string Publisher, string? IosAppStoreLink, string? AndroidAppStoreLink, int LastIndex, IReadOnlyList<Sticker> Stickers);
