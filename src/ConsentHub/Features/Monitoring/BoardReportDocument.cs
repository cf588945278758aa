using System.Globalization;
using ConsentHub.Consent.Rules;
using ConsentHub.Pdf;

namespace ConsentHub.Monitoring;

/// <summary>
/// The Regional Performance Board report (§9.2) on the forms' layout module: a cover, the headline figures with the
/// change since the previous period of the same length, the charts, the exceptions, and one page per academy.
/// </summary>
public static class BoardReportDocument
{
    public sealed record Input(
        string Title,
        MonitoringFigures Figures,
        MonitoringFigures Previous,
        IReadOnlyList<(ScopedAcademy Academy, MonitoringFigures Figures)> Academies,
        IReadOnlyList<ListMonitoringDetail.Row> RegisterGaps,
        double CoverageThreshold,
        DateTimeOffset GeneratedAt);

    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    public sealed record Output(byte[] Pdf, int Pages);

    public static Output Build(Input input, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var f = input.Figures;
        var period = $"{f.Filter.From.ToString("d MMMM yyyy", Uk)} to {f.Filter.To.ToString("d MMMM yyyy", Uk)}";
        using var pdf = new PdfDocumentBuilder(new PdfDocumentInfo(input.Title, Subject: period));
        var frame = new PdfPageFrame(HeaderLeft: input.Title, HeaderRight: period, FooterLeft: $"Generated {UkCalendar.Format(input.GeneratedAt)}");

        // Cover and headlines.
        var s = pdf.AddSection(frame);
        s.Spacer(120).Paragraph("Regional Performance Board", PdfTextStyle.Heading).Paragraph(input.Title, PdfTextStyle.Title)
            .Paragraph($"Photography and video consent: the policy's operation, {period}.")
            .Paragraph($"{f.Academies.Count} academ{(f.Academies.Count == 1 ? "y" : "ies")}. Change is shown against {input.Previous.Filter.From.ToString("d MMM yyyy", Uk)} to {input.Previous.Filter.To.ToString("d MMM yyyy", Uk)}.")
            .PageBreak();
        s.Heading("Headline figures");
        s.Table([new PdfColumn("Figure", 3), new PdfColumn("This period", 1.2f), new PdfColumn("Previous period", 1.2f), new PdfColumn("Change", 1.2f)], Headlines(f, input.Previous));
        s.Heading("Charts", 2);
        foreach (var chart in MonitoringCharts.All(f).Where(c => !c.IsEmpty))
            s.KeepTogether(k => k.Image(MonitoringCharts.Png(chart, 600, 300), s.ContentWidth, 300).Spacer(6));

        // Exceptions.
        s.PageBreak().Heading("Exceptions");
        var below = f.Coverage.ByAcademy.SelectMany(a => a.Purposes.Where(p => p.Pupils > 0 && p.AllowedShare < input.CoverageThreshold)
            .Select(p => (IReadOnlyList<string>)[a.AcademyName, p.PurposeName, Percent(p.AllowedShare)])).ToList();
        s.Heading($"Academies below {Percent(input.CoverageThreshold)} of pupils allowed", 2);
        if (below.Count == 0) s.Paragraph("None.");
        else s.Table([new PdfColumn("Academy", 2), new PdfColumn("Purpose", 2), new PdfColumn("Pupils allowed", 1)], below);
        s.Heading("Overdue takedowns", 2);
        var overdue = f.Takedowns.ByAcademy.Where(a => a.Overdue > 0).Select(a => (IReadOnlyList<string>)[a.Name, N(a.Overdue), N(a.Escalated)]).ToList();
        if (overdue.Count == 0) s.Paragraph("None.");
        else s.Table([new PdfColumn("Academy", 3), new PdfColumn("Overdue", 1), new PdfColumn("Escalated in period", 1)], overdue);
        s.Heading("Gaps in the accounts register", 2);
        if (input.RegisterGaps.Count == 0) s.Paragraph("None.");
        else s.Table([new PdfColumn("Account", 2), new PdfColumn("Belongs to", 2), new PdfColumn("Gaps", 3)], input.RegisterGaps.Select(r => r.Cells));
        s.Heading("Posting pauses", 2);
        if (f.Pauses.Count == 0) s.Paragraph("None.");
        else s.Table([new PdfColumn("Where", 2), new PdfColumn("From", 1.3f), new PdfColumn("Until", 1.3f), new PdfColumn("Reason", 3)],
            f.Pauses.Select(p => (IReadOnlyList<string>)[p.Where, Moment(p.From), p.Until is { } u ? Moment(u) : "until further notice", p.Reason]));
        progress?.Invoke(60);

        // One page per academy.
        for (var i = 0; i < input.Academies.Count; i++)
        {
            var (academy, a) = input.Academies[i];
            var page = pdf.AddSection(frame with { HeaderRight = $"Appendix: {academy.Name}" });
            page.Heading(academy.Name).Paragraph($"{academy.RegionName} · {academy.Phase}", PdfTextStyle.Small);
            page.Heading("Coverage", 2);
            var latest = a.Coverage.Latest?.Purposes ?? [];
            if (latest.Count == 0) page.Paragraph("No coverage snapshot in the period.");
            else page.Table([new PdfColumn("Purpose", 2.4f), new PdfColumn("Allowed"), new PdfColumn("Not allowed"), new PdfColumn("Waiting"), new PdfColumn("Not asked"), new PdfColumn("Class photo")],
                latest.Select(p => (IReadOnlyList<string>)[p.PurposeName, N(p.Allowed), N(p.NotAllowed), N(p.Pending), N(p.NotRequested), Percent(p.ClassShare)]));
            page.Heading("Chasing", 2).Table([new PdfColumn("Figure", 3), new PdfColumn("Value", 2)], Chasing(a.Chasing));
            page.Heading("Takedowns, register and pauses", 2).Table([new PdfColumn("Figure", 3), new PdfColumn("Value", 2)],
            [
                ["Takedowns opened", N(a.Takedowns.Opened)], ["Takedowns done", N(a.Takedowns.Done)], ["Takedowns overdue", N(a.Takedowns.Overdue)],
                ["Median time to done", Hours(a.Takedowns.MedianHoursToDone)],
                ["Register entries with a gap", N(a.Register.WithGaps)], ["Posting pauses in the period", N(a.Pauses.Count)],
            ]);
            progress?.Invoke(60 + 35 * (i + 1) / Math.Max(1, input.Academies.Count));
        }
        var bytes = pdf.ToArray();
        return new Output(bytes, pdf.PageCount);
    }

    private static List<IReadOnlyList<string>> Headlines(MonitoringFigures f, MonitoringFigures p)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var c in f.Coverage.Latest?.Purposes ?? [])
        {
            var before = p.Coverage.Latest?.Purposes.FirstOrDefault(x => x.PurposeId == c.PurposeId);
            rows.Add([$"Pupils allowed: {c.PurposeName}", Percent(c.AllowedShare), before is null ? "–" : Percent(before.AllowedShare),
                before is null ? "–" : Points(c.AllowedShare - before.AllowedShare)]);
        }
        void Count(string name, int now, int then) => rows.Add([name, N(now), N(then), Signed(now - then)]);
        Count("Requests issued", f.Chasing.Issued, p.Chasing.Issued);
        Count("Requests answered", f.Chasing.Answered, p.Chasing.Answered);
        rows.Add(["Median time to answer", Hours(f.Chasing.MedianHoursToAnswer), Hours(p.Chasing.MedianHoursToAnswer), ""]);
        Count("Follow-ups added", f.Chasing.FollowUpsAddedInPeriod, p.Chasing.FollowUpsAddedInPeriod);
        Count("Takedowns opened", f.Takedowns.Opened, p.Takedowns.Opened);
        Count("Takedowns done", f.Takedowns.Done, p.Takedowns.Done);
        Count("Takedowns overdue", f.Takedowns.Overdue, p.Takedowns.Overdue);
        Count("Register entries with a gap", f.Register.WithGaps, p.Register.WithGaps);
        Count("Posting pauses", f.Pauses.Count, p.Pauses.Count);
        return rows;
    }

    private static List<IReadOnlyList<string>> Chasing(ChasingFigures c) =>
    [
        ["Requests issued", N(c.Issued)], ["Answered", $"{N(c.Answered)} ({N(c.AnsweredOnline)} online, {N(c.AnsweredOnPaper)} paper, {N(c.AnsweredByStaff)} by staff)"],
        ["Answered after the first email", c.ResponseRates.Count > 0 ? Percent(c.ResponseRates[0]) : "–"],
        ["Answered after the last reminder", c.ResponseRates.Count > 0 ? Percent(c.ResponseRates[^1]) : "–"],
        ["Median time to answer", Hours(c.MedianHoursToAnswer)], ["Follow-ups open", N(c.FollowUpsOpen)], ["Failing addresses", N(c.FailingAddresses)],
    ];

    internal static string N(int n) => n.ToString("N0", Uk);

    internal static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Points(double delta) => (delta >= 0 ? "+" : "−") + Math.Abs(delta * 100).ToString("0.#", CultureInfo.InvariantCulture) + " pts";

    private static string Signed(int delta) => delta == 0 ? "0" : (delta > 0 ? "+" : "−") + Math.Abs(delta).ToString("N0", Uk);

    private static string Hours(double? hours) => hours switch
    {
        null => "–",
        < 48 => hours.Value.ToString("0.#", CultureInfo.InvariantCulture) + " h",
        _ => (hours.Value / 24).ToString("0.#", CultureInfo.InvariantCulture) + " days",
    };

    private static string Moment(DateTimeOffset at) => UkCalendar.ToLocal(at).ToString("d MMM yyyy HH:mm", Uk);
}
