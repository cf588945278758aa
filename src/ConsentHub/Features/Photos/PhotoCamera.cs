using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace ConsentHub.Photos;

/// <summary>
/// The camera a photo's EXIF names: make and model (IFD0) and the body serial (the EXIF sub-IFD), as the device
/// register matches them. Files without EXIF, or with a broken block, name no camera: that is not a refusal.
/// </summary>
public sealed record PhotoCamera(string? Make, string? Model, string? Serial)
{
    public static readonly PhotoCamera None = new(null, null, null);

    /// <summary>True when the file says which camera took it (make and model).</summary>
    public bool Named => Make is not null && Model is not null;

    public override string ToString() =>
        Serial is null ? $"{Make} {Model}" : $"{Make} {Model} (serial {Serial})";

    public static PhotoCamera Read(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            var directories = ImageMetadataReader.ReadMetadata(stream);
            var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
            var sub = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
            return new PhotoCamera(Clean(ifd0?.GetDescription(ExifDirectoryBase.TagMake)), Clean(ifd0?.GetDescription(ExifDirectoryBase.TagModel)),
                Clean(sub?.GetDescription(ExifDirectoryBase.TagBodySerialNumber)));
        }
        catch (ImageProcessingException)
        {
            return None;
        }
        catch (IOException)
        {
            return None;
        }
    }

    /// <summary>Trimmed, NULs and control characters removed, at most the register's length; empty is null.</summary>
    private static string? Clean(string? value)
    {
        if (value is null) return null;
        var s = new string([.. value.Where(c => !char.IsControl(c))]).Trim();
        if (s.Length == 0) return null;
        return s.Length > PhotoDevice.MaxLength ? s[..PhotoDevice.MaxLength] : s;
    }
}
