using System.Diagnostics;
using System.Globalization;
using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Forms;
using Microsoft.Extensions.Options;

namespace ConsentHub.Benchmarks;

/// <summary>
/// Printed forms, timed in process: a 1,500-form academy pack as one PDF, a 30-pupil class pack, and the size of
/// one form. Forms are made up in memory (names with accents, two parties for secondary pupils, a logo), so the
/// figure is the layout and PDF writing the pack job does after its one query.
/// </summary>
public static class FormsBenchmark
{
    public static int Run()
    {
        var render = new RenderConsentForms(new FormTemplates(Options.Create(new TemplateOptions())));
        var logo = Logo();
        var academy = Forms(1500, logo);
        var klass = Forms(30, logo);

        // Warm up the JIT, the fonts and the templates.
        for (var i = 0; i < 3; i++) render.Handle(klass, "warm-up");

        var single = render.Handle([academy[0]], "Consent form");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"single form: {single.Pdf.Length / 1024.0:F1} KB, {single.Pages} page(s)"));

        Report("class pack (30 forms)", render, klass, runs: 10);
        Report("academy pack (1,500 forms)", render, academy, runs: 5);
        return 0;
    }

    private static void Report(string name, RenderConsentForms render, IReadOnlyList<ConsentForm> forms, int runs)
    {
        var times = new List<double>();
        RenderConsentForms.Rendered? last = null;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            last = render.Handle(forms, name);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: median {times[times.Count / 2]:F0} ms, min {times[0]:F0} ms, max {times[^1]:F0} ms over {runs} runs; {last!.Pages} pages, {last.Pdf.Length / 1024.0 / 1024.0:F2} MB"));
    }

    private static List<ConsentForm> Forms(int count, byte[] logo)
    {
        string[] first = ["Łukasz", "Zoë", "Amelia", "Ødegaard", "Siân", "Mohammed", "Chloé", "Oliver", "Aoife", "Dvořák"];
        string[] last = ["Ødegaard-Smith", "O’Brien", "Kowalski", "Patel", "Nguyễn", "Jones", "Müller", "Ní Bhriain"];
        var purposes = new[]
        {
            new FormPurpose("internal-displays", "Displays inside the academy", "Photos on classroom walls and corridor displays, seen only by people in the building."),
            new FormPurpose("newsletter", "Newsletters", "The printed and emailed newsletter sent to families of the academy."),
            new FormPurpose("website", "Academy website", "Pages of the academy's public website."),
            new FormPurpose("academy-social", "Academy social media", "Posts on the academy's own Facebook, Instagram and X accounts, which anyone can see."),
            new FormPurpose("trust-social", "Trust social media", "Posts on the trust's accounts, seen across all its academies."),
            new FormPurpose("press", "Local press", "Photos given to local newspapers for stories about the academy."),
            new FormPurpose("video", "Video", "Short films of events and lessons on the academy's channels."),
        };
        var forms = new List<ConsentForm>(count);
        for (var i = 0; forms.Count < count; i++)
        {
            var year = i % 14 - 1;
            var f = first[i % first.Length];
            var name = $"{f} {last[i % last.Length]}";
            foreach (var party in ConsentFormDocument.PartiesFor(year, alsoAskParent: i % 20 == 0))
            {
                if (forms.Count == count) break;
                forms.Add(new ConsentForm("Northern Lights Academy Trust", "Northfield Academy", logo, f, name, year,
                    $"{Math.Max(year, 0)}{(char)('A' + i % 4)}", party, party == PartyKind.Contact ? $"Mrs Anna {last[(i + 3) % last.Length]}" : null,
                    i % 9 == 0 ? "pl" : "en", "2026-1", purposes, $"ACDEF{i % 1000:000}".Replace('0', 'G').Replace('1', 'H').Replace('5', 'K').Replace('8', 'M'),
                    new Uri("https://consent.example.org.uk/sign?code=ACDEFG23"), new Uri("https://consent.example.org.uk/sign"), new DateOnly(2026, 12, 18), i % 20 == 0));
            }
        }
        return forms;
    }

    private static byte[] Logo()
    {
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(240, 120));
        surface.Canvas.Clear(new SkiaSharp.SKColor(0xFF0B2F5B));
        using var paint = new SkiaSharp.SKPaint { Color = SkiaSharp.SKColors.Gold };
        surface.Canvas.DrawCircle(60, 60, 40, paint);
        using var image = surface.Snapshot();
        using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
