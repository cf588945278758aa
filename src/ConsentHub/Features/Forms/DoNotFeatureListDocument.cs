using System.Globalization;
using ConsentHub.Consent.Rules;
using ConsentHub.Pdf;

namespace ConsentHub.Forms;

/// <summary>One pupil who must not be featured: name, class and one line saying why (never a safeguarding reason).</summary>
public sealed record DoNotFeatureEntry(string Name, string? Class, string Reason);

/// <summary>
/// What the teacher running a photo session prints: who in the group must not be featured for one purpose, and how
/// many may. <paramref name="GroupLabel"/> is "Class 3W", "Year 3" or the event's name.
/// </summary>
public sealed record DoNotFeatureList(
    string AcademyName,
    string GroupLabel,
    string PurposeName,
    DateTimeOffset PrintedAt,
    IReadOnlyList<DoNotFeatureEntry> Pupils,
    int MayBeFeatured)
{
    /// <summary>The academy's crest for the header of every page; null when it has none.</summary>
    public byte[]? AcademyLogo { get; init; }
}

/// <summary>Lays out the do-not-feature list on A4: a heading block, the table of pupils, the count of those who may be featured.</summary>
public static class DoNotFeatureListDocument
{
    public static byte[] Render(DoNotFeatureList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var printed = CorrectAt(list.PrintedAt);
        using var pdf = new PdfDocumentBuilder(new PdfDocumentInfo($"Do not feature: {list.PurposeName}", Subject: $"{list.AcademyName}, {list.GroupLabel}"));
        var section = pdf.AddSection(new PdfPageFrame(
            HeaderLeft: list.AcademyName,
            HeaderRight: $"Do not feature · {list.PurposeName}",
            FooterLeft: $"Correct at {printed}. Check the app for changes.")
        { HeaderLogo = list.AcademyLogo });
        section.Heading("Do not photograph or feature", 0)
            .Paragraph($"{list.GroupLabel} · {list.PurposeName} · {list.AcademyName}", PdfTextStyle.Subheading)
            .Panel(p => p.Paragraph($"Correct at {printed}, check the app for changes: consent can be withdrawn at any time.", PdfTextStyle.Body with { SpaceAfter = 0 }));
        section.Spacer(6);

        if (list.Pupils.Count == 0)
        {
            section.Paragraph($"Every pupil in {list.GroupLabel} may be featured for {list.PurposeName}.", PdfTextStyle.Strong);
        }
        else
        {
            section.Heading(list.Pupils.Count == 1 ? "1 pupil must not be featured" : $"{list.Pupils.Count} pupils must not be featured", 2)
                .Table([new PdfColumn("Pupil", 2.2f), new PdfColumn("Class", 0.8f), new PdfColumn("Why", 4f)],
                    list.Pupils.Select(p => (IReadOnlyList<string>)[p.Name, p.Class ?? "", p.Reason]));
        }
        var total = list.Pupils.Count + list.MayBeFeatured;
        section.Paragraph($"{list.MayBeFeatured} of {total} {(total == 1 ? "pupil" : "pupils")} in {list.GroupLabel} may be featured for {list.PurposeName}.", PdfTextStyle.Strong);
        return pdf.ToArray();
    }

    /// <summary>"14:05 on 1 Dec 2026", UK time.</summary>
    public static string CorrectAt(DateTimeOffset instant) =>
        UkCalendar.ToLocal(instant).ToString("HH:mm", CultureInfo.InvariantCulture) + " on " + UkCalendar.Format(instant);
}
