using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Media;

/// <summary>A media upload's MIME type. Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<MediaFileType>))]
public readonly record struct MediaFileType(string Value) : IStringValue<MediaFileType>
{
    public static MediaFileType ImageJpeg { get; } = new("image/jpeg");

    public static MediaFileType ImageJpg { get; } = new("image/jpg");

    public static MediaFileType ImagePng { get; } = new("image/png");

    public static MediaFileType VideoMp4 { get; } = new("video/mp4");

    public static IReadOnlyList<MediaFileType> Known { get; } = [ImageJpeg, ImageJpg, ImagePng, VideoMp4];

    public static MediaFileType From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
