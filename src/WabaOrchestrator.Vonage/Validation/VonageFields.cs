namespace WabaOrchestrator.Vonage.Validation;

/// <summary>Field names the rules report (the APIs' own JSON and path parameter names).</summary>
public static class VonageFields
{
    public const string DeploymentId = "deployment_id";
    public const string StickerpackId = "stickerpack_id";
    public const string StickerIndex = "sticker_index";
    public const string WabaId = "waba_id";
    public const string TemplateId = "template_id";
    public const string HsmId = "hsm_id";
    public const string Name = "name";
    public const string Limit = "limit";
    public const string Code = "code";
    public const string Method = "method";
    public const string ImageUrl = "image_url";
    public const string FileType = "file_type";
    public const string FileName = "file_name";
}
