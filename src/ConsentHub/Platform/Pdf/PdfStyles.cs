using SkiaSharp;

namespace ConsentHub.Pdf;

/// <summary>How a run of text looks. Sizes are in points (1/72 inch).</summary>
public sealed record PdfTextStyle(float Size = 10f, bool Bold = false, uint Colour = 0xFF1A1A1A, float SpaceAfter = 6f, float LineSpacing = 1.3f)
{
    public static readonly PdfTextStyle Body = new();
    public static readonly PdfTextStyle Strong = new(Bold: true);
    public static readonly PdfTextStyle Small = new(Size: 8f, Colour: 0xFF444444, SpaceAfter: 4f);
    public static readonly PdfTextStyle Title = new(Size: 18f, Bold: true, Colour: 0xFF0B2F5B, SpaceAfter: 8f, LineSpacing: 1.2f);
    public static readonly PdfTextStyle Heading = new(Size: 13f, Bold: true, Colour: 0xFF0B2F5B, SpaceAfter: 4f, LineSpacing: 1.25f);
    public static readonly PdfTextStyle Subheading = new(Size: 11f, Bold: true, Colour: 0xFF1A1A1A, SpaceAfter: 3f, LineSpacing: 1.25f);

    internal float LineHeight => Size * LineSpacing;
    internal SKColor SkColour => new(Colour);
}

/// <summary>What is printed at the top and bottom of every page of a section, and its margins.</summary>
/// <param name="HeaderLeft">Top left, in bold (e.g. the academy's name).</param>
/// <param name="HeaderRight">Top right (e.g. the document's name).</param>
/// <param name="FooterLeft">Bottom left (e.g. the form version).</param>
/// <param name="PageNumbers">"Page 1 of 2" bottom right, counted within the section.</param>
public sealed record PdfPageFrame(string? HeaderLeft = null, string? HeaderRight = null, string? FooterLeft = null, bool PageNumbers = true, float Margin = 42.5f)
{
    /// <summary>
    /// A PNG or JPEG (the school's crest) printed small at the start of the header on every page, before
    /// <see cref="HeaderLeft"/>; the header is then a little taller. An image that cannot be read is left out.
    /// </summary>
    public byte[]? HeaderLogo { get; init; }

    /// <summary>
    /// The section is in a language written right to left (Urdu, Arabic): the whole page is mirrored. Text lines
    /// start at the right margin, tick boxes and write-in lines sit on the left, the first of two columns is on the
    /// right, table columns run from the right, and the header and footer swap sides.
    /// </summary>
    public bool RightToLeft { get; init; }

    /// <summary>The page number's wording, with {0} for the page and {1} for the pages in the section.</summary>
    public string PageNumberFormat { get; init; } = "Page {0} of {1}";
}

/// <summary>A table column: its heading and its share of the width (shares are relative to each other).</summary>
public sealed record PdfColumn(string Heading, float Share = 1f);

/// <summary>The PDF's own properties, shown by viewers and read by search tools.</summary>
public sealed record PdfDocumentInfo(string Title, string? Subject = null, string Author = "ConsentHub");
