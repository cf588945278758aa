using ConsentHub.Requests;
using ConsentHub.Signing;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

// Handlers return one of several pages; IResult is their common type, not a performance concern here.
#pragma warning disable CA1859

namespace ConsentHub.Web.Components.Pages.Signing;

/// <summary>
/// The public signing pages: plain HTML forms rendered on the server (Razor components through
/// <see cref="RazorComponentResult"/>: no circuit, no script), antiforgery on every POST, no caching, no referrer.
/// GETs only read; every POST re-checks the link, the date-of-birth cookie and the form. Handlers stay thin: the
/// decisions live in the Signing use cases.
/// </summary>
public static class SigningEndpoints
{
    private const string ShortCodeFormPath = "/sign/form";

    public static IEndpointRouteBuilder MapSigning(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("").AllowAnonymous().AddEndpointFilter(async (context, next) =>
        {
            NoStore(context.HttpContext);
            return await next(context);
        });

        // The school's crest on these pages and in their emails: public (it is on the school gates), by a key that
        // names no academy, cached for good (the key changes with the logo). Outside the no-store group.
        endpoints.MapGet("/school-crest/{key}.png", async (HttpContext http, string key, ConsentHub.Trust.ReadSchoolCrest crests) =>
        {
            if (await crests.HandleAsync(key, http.RequestAborted) is not { } png) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.File(png, "image/png");
        }).AllowAnonymous();

        pages.MapGet("/s/{token}", (HttpContext http, string token, [AsParameters] SigningServices s) => OpenAsync(http, s, Link.Request(token)));
        pages.MapPost("/s/{token}/dob", (HttpContext http, string token, [AsParameters] SigningServices s) => ConfirmAsync(http, s, Link.Request(token)));
        pages.MapPost("/s/{token}", (HttpContext http, string token, [AsParameters] SigningServices s) => SubmitAsync(http, s, Link.Request(token)));
        pages.MapGet("/s/{token}/done", (HttpContext http, string token, [AsParameters] SigningServices s) => DoneAsync(http, s, Link.Request(token)));

        pages.MapGet("/sign/change/{token}", (HttpContext http, string token, [AsParameters] SigningServices s) => OpenAsync(http, s, Link.Change(token)));
        pages.MapPost("/sign/change/{token}/dob", (HttpContext http, string token, [AsParameters] SigningServices s) => ConfirmAsync(http, s, Link.Change(token)));
        pages.MapPost("/sign/change/{token}", (HttpContext http, string token, [AsParameters] SigningServices s) => SubmitAsync(http, s, Link.Change(token)));
        pages.MapGet("/sign/change/{token}/done", (HttpContext http, string token, [AsParameters] SigningServices s) => DoneAsync(http, s, Link.Change(token)));
        // What was published of the pupil: the posts, their safe copies (only through the link and its confirmed
        // date of birth) and a request to take one post down.
        pages.MapGet("/sign/change/{token}/posts", (HttpContext http, string token, [AsParameters] SigningServices s) => PostsAsync(http, s, Link.Change(token)));
        pages.MapGet("/sign/change/{token}/posts/{postId:guid}/{exportId:guid}.jpg",
            (HttpContext http, string token, Guid postId, Guid exportId, [AsParameters] SigningServices s) => PostImageAsync(http, s, Link.Change(token), postId, exportId));
        pages.MapPost("/sign/change/{token}/posts/{postId:guid}/takedown",
            (HttpContext http, string token, Guid postId, [AsParameters] SigningServices s) => PostTakedownAsync(http, s, Link.Change(token), postId));

        // The paper form's QR code opens /sign?code=…: the code is filled in, the date of birth is still asked.
        pages.MapGet("/sign", (HttpContext http, [AsParameters] SigningServices s) => ShortCodePage(http, s, Text(http, null), [], null,
            ConsentHub.Requests.SigningSecrets.TryNormaliseShortCode(http.Request.Query["code"], out var code) ? ConsentHub.Requests.SigningSecrets.FormatShortCode(code) : null));
        pages.MapPost("/sign", ShortCodeAsync);
        pages.MapGet(ShortCodeFormPath, (HttpContext http, [AsParameters] SigningServices s) => OpenAsync(http, s, Link.ShortCode));
        pages.MapPost(ShortCodeFormPath, (HttpContext http, [AsParameters] SigningServices s) => SubmitAsync(http, s, Link.ShortCode));
        pages.MapGet(ShortCodeFormPath + "/done", (HttpContext http, [AsParameters] SigningServices s) => DoneAsync(http, s, Link.ShortCode));

        pages.MapGet("/sign/lost", (HttpContext http, [AsParameters] SigningServices s) => LostPage(http, s, Text(http, null), null, null));
        pages.MapPost("/sign/lost", LostAsync);
        return endpoints;
    }

    /// <summary>The services every handler needs, bound by the endpoint from the request's services ([AsParameters]).</summary>
    public readonly record struct SigningServices(
        SigningTargets Targets,
        ConfirmDateOfBirth Confirm,
        LoadSigningForm LoadForm,
        SubmitConsentForm Submit,
        ChangeOrWithdraw Change,
        GetSigningReceipt Receipts,
        RequestChangeLinks ChangeLinks,
        SigningSession Session,
        ConsentHub.Takedowns.CountTakedownAccounts TakedownAccounts,
        ConsentHub.Photos.ListFamilyPosts FamilyPosts,
        ConsentHub.Photos.RequestPostTakedown PostTakedown,
        IAntiforgery Antiforgery);

    /// <summary>Which way in: a request's link, a change link (both with a token in the path) or the short code.</summary>
    private sealed record Link(SigningTargetKind Kind, string? Token, string Path)
    {
        public static Link Request(string token) => new(SigningTargetKind.Request, token, "/s/" + token);
        public static Link Change(string token) => new(SigningTargetKind.ChangeLink, token, "/sign/change/" + token);
        public static readonly Link ShortCode = new(SigningTargetKind.Request, null, ShortCodeFormPath);

        public bool IsChange => Kind == SigningTargetKind.ChangeLink;

        /// <summary>The link's open target now, or null (expired, answered, revoked, unknown: all the same).</summary>
        public async Task<SigningTarget?> OpenTargetAsync(HttpContext http, SigningServices s)
        {
            if (Token is null)
                return s.Session.Read(http, Kind) is { } id ? await s.Targets.ByIdAsync(Kind, id, http.RequestAborted) : null;
            return IsChange ? await s.Targets.ByChangeTokenAsync(Token, http.RequestAborted) : await s.Targets.ByRequestTokenAsync(Token, http.RequestAborted);
        }

        /// <summary>The id this browser has confirmed the date of birth for, when it is this link's.</summary>
        public async Task<Guid?> ConfirmedIdAsync(HttpContext http, SigningServices s)
        {
            var confirmed = s.Session.Read(http, Kind);
            if (confirmed is null || Token is null) return confirmed;
            var id = IsChange ? await s.Targets.ChangeLinkIdByTokenAsync(Token, http.RequestAborted) : await s.Targets.RequestIdByTokenAsync(Token, http.RequestAborted);
            return id == confirmed ? id : null;
        }
    }

    private static async Task<IResult> OpenAsync(HttpContext http, SigningServices s, Link link)
    {
        var target = await link.OpenTargetAsync(http, s);
        if (target is null)
        {
            // A short-code browser that has just answered comes back here: show the receipt rather than a dead end.
            if (link.Token is null && s.Session.Read(http, link.Kind) is not null) return SeeOther(link.Path + "/done" + LangQuery(http));
            return link.Token is null ? Expired(http, "/sign", Text(http, null)) : Unavailable(http);
        }
        var text = Text(http, target.PreferredLanguage);
        if (s.Session.Read(http, link.Kind) == target.Id)
        {
            var form = await s.LoadForm.HandleAsync(target, text.Language, http.RequestAborted);
            if (form is null) return Unavailable(http);
            var takedown = !link.IsChange || await s.TakedownAccounts.ForAcademyAsync(target.AcademyId, http.RequestAborted) > 0;
            var posts = link.IsChange ? await s.FamilyPosts.CountAsync(target.PupilId, target.AcademyId, http.RequestAborted) : 0;
            return FormPage(http, s, link, text, form, [], null, null, takedown: takedown, publishedPosts: posts);
        }
        if (link.Token is null) return Expired(http, "/sign", text);
        var locked = await s.Confirm.LockedUntilAsync(target, http.RequestAborted);
        return DobPage(http, s, link, text, target, null, locked, null);
    }

    private static async Task<IResult> ConfirmAsync(HttpContext http, SigningServices s, Link link)
    {
        if (await ValidFormAsync(http, s) is not { } form) return PageExpired(http);
        var target = await link.OpenTargetAsync(http, s);
        if (target is null) return Unavailable(http);
        var text = Text(http, target.PreferredLanguage);
        if (ReadDate(form) is not { } dob) return DobPage(http, s, link, text, target, text.DobMissing, null, form, StatusCodes.Status400BadRequest);

        switch (await s.Confirm.HandleAsync(target, dob, http.RequestAborted))
        {
            case ConfirmDateOfBirth.Result.Confirmed:
                s.Session.Start(http, link.Path, link.Kind, target.Id);
                return SeeOther(link.Path + "?lang=" + text.Language);
            case ConfirmDateOfBirth.Result.Locked locked:
                return DobPage(http, s, link, text, target, null, locked.Until, null);
            default:
                return DobPage(http, s, link, text, target, text.DobWrong, null, form, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, SigningServices s, Link link)
    {
        if (await ValidFormAsync(http, s) is not { } form) return PageExpired(http);
        var text = Text(http, null);
        if (await link.ConfirmedIdAsync(http, s) is not { } id)
            return link.Token is null || await link.OpenTargetAsync(http, s) is not null ? Expired(http, link.Token is null ? "/sign" : link.Path, text) : Unavailable(http);

        var answers = ReadAnswers(form);
        var userAgent = http.Request.Headers.UserAgent.ToString();
        var done = SeeOther(link.Path + "/done?lang=" + text.Language);
        if (!link.IsChange)
        {
            return await s.Submit.HandleAsync(id, answers, text.Language, userAgent, http.RequestAborted) switch
            {
                SubmitConsentForm.Result.Recorded or SubmitConsentForm.Result.AlreadyAnswered => done,
                SubmitConsentForm.Result.Invalid invalid => FormPage(http, s, link, text, invalid.Form, invalid.Errors, answers, null, StatusCodes.Status400BadRequest),
                _ => Unavailable(http),
            };
        }

        var action = form["action"].ToString();
        if (action == "withdraw-all")
        {
            var withdrawing = await s.Targets.ByIdAsync(SigningTargetKind.ChangeLink, id, http.RequestAborted);
            if (withdrawing is null) return Unavailable(http);
            ForAcademy(http, withdrawing.AcademyId);
            return Render<WithdrawAllConfirmPage>(http, new()
            {
                ["Takedown"] = await s.TakedownAccounts.ForAcademyAsync(withdrawing.AcademyId, http.RequestAborted) > 0,
                ["Text"] = text,
                ["Action"] = link.Path,
                ["BackUrl"] = link.Path + "?lang=" + text.Language,
                ["Token"] = Token(http, s),
            });
        }
        var result = action == "withdraw-all-confirmed"
            ? await s.Change.WithdrawAllAsync(id, text.Language, userAgent, http.RequestAborted)
            : await s.Change.ChangeAsync(id, answers, text.Language, userAgent, http.RequestAborted);
        switch (result)
        {
            case ChangeOrWithdraw.Result.Recorded:
                return done;
            case ChangeOrWithdraw.Result.Invalid invalid:
                return FormPage(http, s, link, text, invalid.Form, invalid.Errors, answers, null, StatusCodes.Status400BadRequest);
            case ChangeOrWithdraw.Result.NothingChanged:
                var target = await s.Targets.ByIdAsync(SigningTargetKind.ChangeLink, id, http.RequestAborted);
                var current = target is null ? null : await s.LoadForm.HandleAsync(target, text.Language, http.RequestAborted);
                return current is null ? Unavailable(http) : FormPage(http, s, link, text, current, [], null, text.NothingChanged);
            default:
                return Unavailable(http);
        }
    }

    private static async Task<IResult> DoneAsync(HttpContext http, SigningServices s, Link link)
    {
        var text = Text(http, null);
        if (await link.ConfirmedIdAsync(http, s) is not { } id) return link.Token is null ? Expired(http, "/sign", text) : Unavailable(http);
        var receipt = await s.Receipts.HandleAsync(link.Kind, id, http.RequestAborted);
        if (receipt is null) return Unavailable(http);
        ForAcademy(http, receipt.AcademyId);
        return Render<ReceiptPage>(http, new()
        {
            ["Text"] = text,
            ["Receipt"] = receipt,
            ["SwitchUrl"] = link.Path + "/done?lang=" + text.OtherLanguage,
        });
    }

    /// <summary>The change link's confirmed, still open target; null when the link cannot be used or the date of birth is not confirmed.</summary>
    private static async Task<SigningTarget?> ConfirmedChangeTargetAsync(HttpContext http, SigningServices s, Link link) =>
        await link.ConfirmedIdAsync(http, s) is { } id ? await s.Targets.ByIdAsync(SigningTargetKind.ChangeLink, id, http.RequestAborted) : null;

    private static async Task<IResult> PostsAsync(HttpContext http, SigningServices s, Link link)
    {
        if (await ConfirmedChangeTargetAsync(http, s, link) is not { } target)
        {
            // An open link whose date of birth is not confirmed in this browser starts at the date of birth.
            return await link.OpenTargetAsync(http, s) is not null ? SeeOther(link.Path + LangQuery(http)) : Unavailable(http);
        }
        var text = Text(http, target.PreferredLanguage);
        ForAcademy(http, target.AcademyId);
        var posts = await s.FamilyPosts.HandleAsync(target.PupilId, target.AcademyId, target.Actor, http.RequestAborted);
        return Render<FamilyPostsPage>(http, new()
        {
            ["Text"] = text,
            ["Pupil"] = target.PartyKind == Consent.PartyKind.Pupil,
            ["Posts"] = posts,
            ["BasePath"] = link.Path,
            ["Token"] = Token(http, s),
            ["Notice"] = http.Request.Query["asked"] == "1" ? text.TakedownAskedNotice : null,
            ["SwitchUrl"] = link.Path + "/posts?lang=" + text.OtherLanguage,
        });
    }

    private static async Task<IResult> PostImageAsync(HttpContext http, SigningServices s, Link link, Guid postId, Guid exportId)
    {
        if (await ConfirmedChangeTargetAsync(http, s, link) is not { } target) return Results.NotFound();
        var content = await s.FamilyPosts.ImageAsync(target.PupilId, target.AcademyId, target.Actor, postId, exportId, http.RequestAborted);
        if (content is null) return Results.NotFound();
        NoStore(http);
        return Results.File(content, "image/jpeg");
    }

    private static async Task<IResult> PostTakedownAsync(HttpContext http, SigningServices s, Link link, Guid postId)
    {
        if (await ValidFormAsync(http, s) is null) return PageExpired(http);
        var text = Text(http, null);
        if (await ConfirmedChangeTargetAsync(http, s, link) is not { } target)
            return await link.OpenTargetAsync(http, s) is not null ? Expired(http, link.Path, text) : Unavailable(http);
        return await s.PostTakedown.HandleAsync(target.PupilId, target.AcademyId, target.Actor, postId, http.RequestAborted) switch
        {
            ConsentHub.Photos.RequestPostTakedown.Result.Requested => SeeOther(link.Path + "/posts?lang=" + text.Language + "&asked=1"),
            _ => Unavailable(http),
        };
    }

    private static async Task<IResult> ShortCodeAsync(HttpContext http, [AsParameters] SigningServices s)
    {
        if (await ValidFormAsync(http, s) is not { } form) return PageExpired(http);
        var text = Text(http, null);
        var code = form["code"].ToString();
        var dob = ReadDate(form);
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(code)) errors.Add(("code", text.ShortCodeMissing));
        if (dob is null) errors.Add(("dob-day", text.DobMissing));
        if (errors.Count == 0)
        {
            if (await s.Confirm.HandleShortCodeAsync(code, dob, http.RequestAborted) is ConfirmDateOfBirth.Result.Confirmed confirmed)
            {
                s.Session.Start(http, ShortCodeFormPath, SigningTargetKind.Request, confirmed.Target.Id);
                return SeeOther(ShortCodeFormPath + "?lang=" + text.Language);
            }
            // Unknown code, wrong date and a locked code all read the same: the page must not confirm a code exists.
            errors.Add(("code", text.ShortCodeNoMatch));
        }
        return ShortCodePage(http, s, text, errors, form, code, StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> LostAsync(HttpContext http, [AsParameters] SigningServices s)
    {
        if (await ValidFormAsync(http, s) is not { } form) return PageExpired(http);
        var text = Text(http, null);
        var email = form["email"].ToString();
        if (await s.ChangeLinks.HandleAsync(email, text.Language, http.RequestAborted) is RequestChangeLinks.Result.NotAnEmailAddress)
            return LostPage(http, s, text, text.EmailInvalid, email, StatusCodes.Status400BadRequest);
        return Message(http, text, text.LostSentTitle, [text.LostSentBody], []);
    }

    // ---- pages ----

    private static IResult DobPage(HttpContext http, SigningServices s, Link link, SigningText text, SigningTarget target, string? error,
        DateTimeOffset? lockedUntil, IFormCollection? form, int status = StatusCodes.Status200OK) =>
        Render<DateOfBirthPage>(ForAcademy(http, target.AcademyId), new()
        {
            ["Text"] = text,
            ["Pupil"] = target.PartyKind == Consent.PartyKind.Pupil,
            ["Action"] = link.Path + "/dob",
            ["Token"] = Token(http, s),
            ["Error"] = error,
            ["LockedUntil"] = lockedUntil is { } u ? SigningEmails.FormatTime(u, text.Language) : null,
            ["Day"] = form?["day"].ToString(),
            ["Month"] = form?["month"].ToString(),
            ["Year"] = form?["year"].ToString(),
            ["SwitchUrl"] = link.Path + "?lang=" + text.OtherLanguage,
        }, status);

    private static IResult FormPage(HttpContext http, SigningServices s, Link link, SigningText text, SigningForm form,
        IReadOnlyList<SigningError> errors, SigningAnswers? posted, string? notice, int status = StatusCodes.Status200OK, bool takedown = true, int publishedPosts = 0) =>
        Render<SigningFormPage>(ForAcademy(http, form.Target.AcademyId), new()
        {
            ["PublishedPosts"] = publishedPosts,
            ["Takedown"] = takedown,
            ["Text"] = text,
            ["Form"] = form,
            ["Action"] = link.Path,
            ["Token"] = Token(http, s),
            ["IsChange"] = link.IsChange,
            ["Errors"] = errors,
            ["Posted"] = posted,
            ["Notice"] = notice,
            ["SwitchUrl"] = link.Path + "?lang=" + text.OtherLanguage,
        }, status);

    private static IResult ShortCodePage(HttpContext http, SigningServices s, SigningText text, IReadOnlyList<(string, string)> errors,
        IFormCollection? form, string? code, int status = StatusCodes.Status200OK) =>
        Render<ShortCodePage>(http, new()
        {
            ["Text"] = text,
            ["Token"] = Token(http, s),
            ["Errors"] = errors,
            ["Code"] = code,
            ["Day"] = form?["day"].ToString(),
            ["Month"] = form?["month"].ToString(),
            ["Year"] = form?["year"].ToString(),
            ["SwitchUrl"] = "/sign?lang=" + text.OtherLanguage
                // Opened from a QR code (a GET): switching language keeps the code. After a post it is never put in the address.
                + (form is null && ConsentHub.Requests.SigningSecrets.TryNormaliseShortCode(code, out var typed) ? "&code=" + typed : ""),
        }, status);

    private static IResult LostPage(HttpContext http, SigningServices s, SigningText text, string? error, string? email, int status = StatusCodes.Status200OK) =>
        Render<LostLinkPage>(http, new()
        {
            ["Text"] = text,
            ["Token"] = Token(http, s),
            ["Error"] = error,
            ["Email"] = email,
            ["SwitchUrl"] = "/sign/lost?lang=" + text.OtherLanguage,
        }, status);

    /// <summary>One message for every link that cannot be used, whatever the reason, with the ways forward.</summary>
    private static IResult Unavailable(HttpContext http)
    {
        var text = Text(http, null);
        return Message(http, text, text.UnavailableTitle, [text.UnavailableBody, text.UnavailableAnsweredHint],
            [("/sign/lost?lang=" + text.Language, text.LostLinkLinkText), ("/sign?lang=" + text.Language, text.ShortCodeLinkText)],
            StatusCodes.Status404NotFound);
    }

    private static IResult Expired(HttpContext http, string startPath, SigningText text) =>
        Message(http, text, text.ExpiredTitle, [text.ExpiredBody], [(startPath + "?lang=" + text.Language, text.StartAgain)], StatusCodes.Status400BadRequest);

    private static IResult PageExpired(HttpContext http)
    {
        var text = Text(http, null);
        return Message(http, text, text.PageExpiredTitle, [text.PageExpiredBody], [], StatusCodes.Status400BadRequest);
    }

    internal static IResult Message(HttpContext http, SigningText text, string title, IReadOnlyList<string> paragraphs,
        IReadOnlyList<(string, string)> links, int status = StatusCodes.Status200OK) =>
        Render<MessagePage>(http, new()
        {
            ["Text"] = text,
            ["Title"] = title,
            ["Paragraphs"] = paragraphs,
            ["Links"] = links,
        }, status);

    private static RazorComponentResult<T> Render<T>(HttpContext http, Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        NoStore(http);
        return new RazorComponentResult<T>(parameters) { StatusCode = status };
    }

    // ---- helpers ----

    /// <summary>The page belongs to this academy: its name and crest head it (<see cref="SigningShell"/>).</summary>
    private static HttpContext ForAcademy(HttpContext http, Guid academyId)
    {
        http.Items[SigningShell.AcademyItem] = academyId;
        return http;
    }

    /// <summary>These pages carry personal data and a token: never cached, never passed on as a referrer, never indexed.</summary>
    internal static void NoStore(HttpContext http)
    {
        var h = http.Response.Headers;
        // The same value antiforgery sets on pages with a form, so every signing page says exactly the same.
        h.CacheControl = "no-cache, no-store";
        h.Pragma = "no-cache";
        h["Referrer-Policy"] = "no-referrer";
        h["X-Robots-Tag"] = "noindex, nofollow";
    }

    /// <summary>303: after a POST the browser GETs the next page, so a refresh never posts again.</summary>
    private static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// The language chosen on the page before: the posted form's lang (every signing form carries it), else ?lang=,
    /// else the person's own from the MIS, else English. Every step uses this, so a choice made on the first page
    /// lasts through the date of birth, the form, the withdrawal confirmation, the receipt and its email.
    /// </summary>
    internal static SigningText Text(HttpContext http, string? preferred) =>
        SigningText.For(SigningLanguage.Choose(RequestedLanguage(http), preferred));

    private static string? RequestedLanguage(HttpContext http)
    {
        // Only a form already read (after the antiforgery check) is looked at: reading it here would block.
        var posted = http.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form?["lang"].ToString();
        return SigningLanguage.TryNormalise(posted) ?? SigningLanguage.TryNormalise(http.Request.Query["lang"].ToString());
    }

    private static string LangQuery(HttpContext http) =>
        RequestedLanguage(http) is { } l ? "?lang=" + l : "";

    private static SigningFormToken Token(HttpContext http, SigningServices s)
    {
        var tokens = s.Antiforgery.GetAndStoreTokens(http);
        return new SigningFormToken(tokens.FormFieldName, tokens.RequestToken!);
    }

    /// <summary>The posted form when it is one and its antiforgery token is good; null otherwise.</summary>
    private static async Task<IFormCollection?> ValidFormAsync(HttpContext http, SigningServices s)
    {
        if (!http.Request.HasFormContentType) return null;
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        return await s.Antiforgery.IsRequestValidAsync(http) ? form : null;
    }

    private static DateOnly? ReadDate(IFormCollection form)
    {
        static int? Part(string? s) => int.TryParse(s?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        if (Part(form["day"]) is not { } d || Part(form["month"]) is not { } m || Part(form["year"]) is not { } y) return null;
        if (y is < 1900 or > 2100 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m)) return null;
        return new DateOnly(y, m, d);
    }

    private static SigningAnswers ReadAnswers(IFormCollection form) => new(
        form.Keys.Where(k => k.StartsWith("answer-", StringComparison.Ordinal)).ToDictionary(k => k, k => (string?)form[k].ToString(), StringComparer.Ordinal),
        form[SigningAnswers.ResponsibilityField] == "yes",
        form[SigningAnswers.NameField].ToString());
}
