namespace ConsentHub.Files;

/// <summary>What a scan is, read from its first bytes: a file's name or the browser's word for its type are not trusted.</summary>
public static class ScanFile
{
    public static readonly IReadOnlyList<string> Accepted = ["application/pdf", "image/jpeg", "image/png"];

    /// <returns>The content type, or null when the content is not a PDF, JPEG or PNG.</returns>
    public static string? Sniff(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("%PDF-"u8)) return "application/pdf";
        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF) return "image/jpeg";
        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        return null;
    }
}
