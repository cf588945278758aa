using System.Globalization;
using ConsentHub.Checks;
using ConsentHub.Photos;
using ConsentHub.Web.Components.Pages.Checks;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;

namespace ConsentHub.Web.Components.Pages.Photos;

/// <summary>
/// One photo: its faces with a decision each for the chosen use, tagging from the roster (the check page's search),
/// boxes drawn or removed, the safe copy, and the post register. The decisions follow consent changes live, as
/// the check page does.
/// </summary>
public sealed partial class PhotoPage : IDisposable
{
    [Inject] private CurrentStaff Current { get; set; } = null!;
    [Inject] private ReviewPhoto Review { get; set; } = null!;
    [Inject] private ListPhotoUses Uses { get; set; } = null!;
    [Inject] private TagFace Tag { get; set; } = null!;
    [Inject] private AddFaceBox AddBox { get; set; } = null!;
    [Inject] private RemoveFaceBox RemoveBox { get; set; } = null!;
    [Inject] private ExportSafePhoto Export { get; set; } = null!;
    [Inject] private RecordPost Post { get; set; } = null!;
    [Inject] private SearchCheckablePupils Search { get; set; } = null!;
    [Inject] private ConsentChangeNotifications Changes { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private PhotoDeviceRegister Devices { get; set; } = null!;

    /// <summary>What the uploader is told about a camera that is not the trust's (policy §6.4).</summary>
    public static string UnregisteredCameraWarning(PhotoCamera camera) =>
        $"Taken on {camera}, which is not on the trust's device register: photos of pupils are taken on trust equipment (policy §6.4). If this device is the trust's, ask the trust admin to add it.";

    private PhotoCamera? _unregisteredCamera;

    [Parameter] public Guid PhotoId { get; set; }

    private sealed record ExportDone(Guid ExportId, int Shown, int Hidden);

    private StaffContext? _staff;
    private PhotoReview? _review;
    private ListPhotoUses.Uses? _uses;
    private bool _notFound;
    private string _purpose = "";
    private Guid? _accountId;
    private Guid? _selected;
    private string _query = "";
    private int _searchSequence;
    private IReadOnlyList<CheckablePupil> _hits = [];
    private ExportDone? _export;
    private string? _message;
    private DateTimeOffset? _updatedAt;
    private IDisposable? _subscription;
    private LiveRefresh? _refresh;
    private ElementReference _stage;
    private bool _drawing;
    private (double X, double Y)? _drawFrom;
    private Guid _postAccount;
    private string _postUrl = "";
    private DateOnly _postedOn;
    private string? _postMessage;

    private IReadOnlyList<ConsentHub.Access.AccessScope> Scopes => _staff?.ScopesFor(ConsentHub.Access.StaffCapabilities.CheckConsent) ?? [];

    private bool PublishesOnAccounts => _uses?.Purposes.FirstOrDefault(p => p.Key == _purpose)?.PublishesOnAccounts == true;

    private string Summary
    {
        get
        {
            if (_review is null) return "";
            var hidden = _review.Faces.Count(f => !f.Shown);
            return $"{_review.Faces.Count} face(s) for {_review.UseName}: {_review.Faces.Count - hidden} shown, {hidden} hidden.";
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _staff = await Current.GetAsync();
        _postedOn = ConsentHub.Consent.Rules.UkCalendar.DateOf(Clock.GetUtcNow());
        _uses = await Uses.HandleAsync(Scopes, PhotoId);
        if (_uses is null || _uses.Purposes.Count == 0)
        {
            _notFound = true;
            return;
        }
        _purpose = _uses.Purposes[0].Key;
        _postAccount = _uses.Accounts.Count > 0 ? _uses.Accounts[0].Id : Guid.Empty;
        _unregisteredCamera = await Devices.UnregisteredCameraAsync(Scopes, PhotoId);
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        var result = await Review.HandleAsync(Scopes, PhotoId, new PhotoUse(_purpose, PublishesOnAccounts ? _accountId : null), "page");
        switch (result)
        {
            case ReviewPhoto.Result.Reviewed r:
                _review = r.Review;
                _message = null;
                break;
            case ReviewPhoto.Result.BadUse bad:
                _message = bad.Message;
                break;
            default:
                _notFound = true;
                break;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (_review is null || _subscription is not null) return;
        // Subscribed only once interactive: a prerender has no circuit to push to.
        _refresh = new LiveRefresh(() => InvokeAsync(async () =>
        {
            await ReloadAsync();
            _updatedAt = Clock.GetUtcNow();
            StateHasChanged();
        }));
        var academyId = _review.AcademyId;
        _subscription = Changes.Subscribe(academyId, change =>
        {
            var tagged = _review?.TaggedPupils.ToList() ?? [];
            if (change.PupilIds is null || change.Affects(academyId, tagged)) _refresh.Request();
        });
    }

    private async Task PurposeChangedAsync(ChangeEventArgs e)
    {
        _purpose = e.Value?.ToString() ?? "";
        _export = null;
        await ReloadAsync();
    }

    private async Task AccountChangedAsync(ChangeEventArgs e)
    {
        _accountId = Guid.TryParse(e.Value?.ToString(), out var id) ? id : null;
        if (_accountId is { } chosen) _postAccount = chosen;
        _export = null;
        await ReloadAsync();
    }

    private void Select(Guid faceId)
    {
        _selected = faceId;
        _query = "";
        _hits = [];
    }

    private async Task SearchAsync()
    {
        if (_review is null) return;
        var sequence = ++_searchSequence;
        var scope = Scopes.Count > 0 ? Scopes[0] : null;
        if (scope is null) return;
        var hits = await Search.HandleAsync(scope, _review.AcademyId, _query);
        if (sequence == _searchSequence) _hits = hits;
    }

    private async Task TagAsync(Guid faceId, FaceTag tag, Guid? pupilId)
    {
        var outcome = await Tag.HandleAsync(Scopes, new TagFace.Request(PhotoId, faceId, tag, pupilId));
        _message = outcome == TagFace.Outcome.Tagged ? null : "That pupil is not on this academy's roster.";
        _selected = null;
        _hits = [];
        _query = "";
        _export = null;
        await ReloadAsync();
    }

    private async Task RemoveAsync(Guid faceId)
    {
        await RemoveBox.HandleAsync(Scopes, PhotoId, faceId);
        _selected = null;
        _export = null;
        await ReloadAsync();
    }

    private void ToggleDrawing()
    {
        _drawing = !_drawing;
        _drawFrom = null;
    }

    private void DrawStart(PointerEventArgs e) => _drawFrom = (e.OffsetX, e.OffsetY);

    private async Task DrawEndAsync(PointerEventArgs e)
    {
        if (_review is null || _drawFrom is not { } from) return;
        var size = await JS.InvokeAsync<double[]>("consentHubPhotos.size", _stage);
        if (size.Length != 2 || size[0] <= 0 || size[1] <= 0) return;
        var sx = _review.Width / size[0];
        var sy = _review.Height / size[1];
        var x = Math.Min(from.X, e.OffsetX) * sx;
        var y = Math.Min(from.Y, e.OffsetY) * sy;
        var w = Math.Abs(e.OffsetX - from.X) * sx;
        var h = Math.Abs(e.OffsetY - from.Y) * sy;
        _drawFrom = null;
        var added = await AddBox.HandleAsync(Scopes, new AddFaceBox.Request(PhotoId, (int)x, (int)y, (int)Math.Ceiling(w), (int)Math.Ceiling(h)));
        if (added is null)
        {
            _message = "That box is too small: press at one corner of the face and let go at the opposite corner.";
            return;
        }
        _drawing = false;
        _selected = added;
        _export = null;
        await ReloadAsync();
    }

    private async Task ExportAsync()
    {
        _message = null;
        var result = await Export.HandleAsync(Scopes, PhotoId, new PhotoUse(_purpose, PublishesOnAccounts ? _accountId : null));
        switch (result)
        {
            case ExportSafePhoto.Result.Exported done:
                _review = done.Review;
                _export = new ExportDone(done.ExportId, done.Review.Faces.Count(f => f.Shown), done.Review.Faces.Count(f => !f.Shown));
                break;
            case ExportSafePhoto.Result.BadUse bad:
                _message = bad.Message;
                break;
            default:
                _notFound = true;
                break;
        }
    }

    private async Task RecordPostAsync(Guid exportId)
    {
        var result = await Post.HandleAsync(Scopes, new RecordPost.Request(_postAccount, _postUrl, _postedOn, [exportId]));
        _postMessage = result switch
        {
            RecordPost.Result.Recorded => "Post recorded in the register.",
            RecordPost.Result.Refused r => r.Message,
            _ => "The export was not found.",
        };
    }

    private string BoxStyle(FaceBox box)
    {
        var r = _review!;
        static string P(double v) => v.ToString("0.###", CultureInfo.InvariantCulture) + "%";
        return $"left:{P(box.X * 100.0 / r.Width)};top:{P(box.Y * 100.0 / r.Height)};width:{P(box.Width * 100.0 / r.Width)};height:{P(box.Height * 100.0 / r.Height)}";
    }

    private static string Who(FaceDecision face) => face.Tag switch
    {
        FaceTag.Pupil => face.PupilName ?? "A pupil",
        FaceTag.NotAPupil => "Not a pupil",
        FaceTag.DontKnow => "Don't know",
        _ => "Not tagged yet",
    };

    public void Dispose()
    {
        _subscription?.Dispose();
        _refresh?.Dispose();
    }
}
