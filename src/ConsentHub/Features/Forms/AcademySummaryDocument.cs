using System.Globalization;
using ConsentHub.Consent;
using ConsentHub.Pdf;

namespace ConsentHub.Forms;

/// <summary>Pupils per status for one purpose (the overview's own counts).</summary>
public sealed record SummaryPurpose(string Name, IReadOnlyDictionary<ConsentStatus, int> Counts);

/// <summary>A pupil with at least one open request: who has not answered yet, by role (never contact details).</summary>
public sealed record OutstandingPupil(string Name, string YearGroup, string? Class, IReadOnlyList<string> Awaited);

/// <summary>The headteacher's printed summary of an academy's consent.</summary>
public sealed record AcademySummary(
    string AcademyName,
    DateTimeOffset PrintedAt,
    int Pupils,
    IReadOnlyList<SummaryPurpose> Purposes,
    int OpenRequests,
    IReadOnlyList<OutstandingPupil> Outstanding)
{
    /// <summary>The academy's crest for the header of every page; null when it has none.</summary>
    public byte[]? AcademyLogo { get; init; }
}

/// <summary>Lays out the academy consent summary: counts by purpose and status, then the outstanding parties.</summary>
public static class AcademySummaryDocument
{
    public static readonly ConsentStatus[] Statuses = [ConsentStatus.Allowed, ConsentStatus.NotAllowed, ConsentStatus.Pending, ConsentStatus.NotRequested];

    public static string Label(ConsentStatus status) => status switch
    {
        ConsentStatus.Allowed => "Allowed",
        ConsentStatus.NotAllowed => "Not allowed",
        ConsentStatus.Pending => "Waiting",
        _ => "Not asked",
    };

    public static byte[] Render(AcademySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var printed = DoNotFeatureListDocument.CorrectAt(summary.PrintedAt);
        var en = CultureInfo.GetCultureInfo("en-GB");
        using var pdf = new PdfDocumentBuilder(new PdfDocumentInfo("Academy consent summary", Subject: summary.AcademyName));
        var section = pdf.AddSection(new PdfPageFrame(
            HeaderLeft: summary.AcademyName,
            HeaderRight: "Consent summary",
            FooterLeft: $"Correct at {printed}. Check the app for changes.")
        { HeaderLogo = summary.AcademyLogo });
        section.Heading("Consent summary", 0)
            .Paragraph($"{summary.AcademyName} · {summary.Pupils.ToString("N0", en)} pupils on roll · correct at {printed}", PdfTextStyle.Subheading);

        section.Heading("Pupils by purpose and status", 1);
        section.Table(
            [new PdfColumn("Purpose", 2.6f), .. Statuses.Select(s => new PdfColumn(Label(s), 1f)), new PdfColumn("Allowed share", 1.1f)],
            summary.Purposes.Select(p =>
            {
                var total = p.Counts.Values.Sum();
                var allowed = p.Counts.GetValueOrDefault(ConsentStatus.Allowed);
                var share = total == 0 ? "–" : (100.0 * allowed / total).ToString("0", CultureInfo.InvariantCulture) + "%";
                return (IReadOnlyList<string>)[p.Name, .. Statuses.Select(s => p.Counts.GetValueOrDefault(s).ToString("N0", en)), share];
            }));

        section.Heading("Outstanding answers", 1);
        section.Paragraph(summary.Outstanding.Count == 0
            ? "No open requests are waiting for an answer."
            : $"{summary.OpenRequests.ToString("N0", en)} open {(summary.OpenRequests == 1 ? "request" : "requests")} for {summary.Outstanding.Count.ToString("N0", en)} {(summary.Outstanding.Count == 1 ? "pupil" : "pupils")}, still to be answered by:");
        if (summary.Outstanding.Count > 0)
            section.Table([new PdfColumn("Pupil", 2.4f), new PdfColumn("Year", 0.9f), new PdfColumn("Class", 0.8f), new PdfColumn("Waiting for", 3f)],
                summary.Outstanding.Select(o => (IReadOnlyList<string>)[o.Name, o.YearGroup, o.Class ?? "", string.Join(", ", o.Awaited)]));
        return pdf.ToArray();
    }
}
