using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Profile;
using WabaOrchestrator.Vonage.Stickers;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Vonage;

/// <summary>Every area in one place, for consumers that use several (inject the area interfaces when one is enough).</summary>
public interface IVonageWhatsAppClient
{
    IDeploymentsClient Deployments { get; }

    IProfileClient Profile { get; }

    IStickersClient Stickers { get; }

    ITemplatesClient Templates { get; }

    IMediaClient Media { get; }
}

public sealed class VonageWhatsAppClient(
    IDeploymentsClient deployments, IProfileClient profile, IStickersClient stickers, ITemplatesClient templates, IMediaClient media) : IVonageWhatsAppClient
{
    public IDeploymentsClient Deployments => deployments;

    public IProfileClient Profile => profile;

    public IStickersClient Stickers => stickers;

    public ITemplatesClient Templates => templates;

    public IMediaClient Media => media;
}
