using ConsentHub.Pdf;

namespace ConsentHub.Forms;

/// <summary>Lays out consent forms into one PDF, each form a section with its own page numbers.</summary>
public sealed class RenderConsentForms(FormTemplates templates)
{
    public sealed record Rendered(byte[] Pdf, int Pages, int ReplacedCharacters);

    /// <param name="formWritten">Called as each form is written, with how many are done.</param>
    public Rendered Handle(IReadOnlyList<ConsentForm> forms, string title, Action<int>? formWritten = null)
    {
        ArgumentNullException.ThrowIfNull(forms);
        using var pdf = new PdfDocumentBuilder(new PdfDocumentInfo(title, Subject: "Photography and video consent"));
        foreach (var form in forms) ConsentFormDocument.Compose(pdf, form, templates);
        var bytes = pdf.ToArray(formWritten);
        return new Rendered(bytes, pdf.PageCount, pdf.ReplacedCharacters);
    }
}
