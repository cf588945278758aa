using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Takedowns;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Pupils;

public sealed partial class PupilPage
{
    [Parameter] public Guid PupilId { get; set; }
    [Inject] private GetPupilRecord Records { get; set; } = default!;
    [Inject] private SetAlsoAskParent AskParent { get; set; } = default!;
    [Inject] private ConsentHub.Rollover.RequestRollover Rollover { get; set; } = default!;
    [Inject] private SetSafeguardingFlag Safeguarding { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private UpdatePupilContact UpdateContact { get; set; } = default!;
    [Inject] private ConsentHub.Signing.RevokeChangeLinks RevokeLinks { get; set; } = default!;
    [Inject] private ListOpenRequests OpenRequests { get; set; } = default!;
    [Inject] private SendNewSigningLink NewLink { get; set; } = default!;
    [Inject] private ConsentHub.Email.RequestOutboxDrain Drain { get; set; } = default!;
    [Inject] private ConsentHub.PaperReturns.ListPaperScans Scans { get; set; } = default!;

    private StaffContext? _staff;
    private GetPupilRecord.Record? _record;
    private bool _loaded;
    private string? _askParentReason;
    private string? _askParentMessage;
    private string? _safeguardingReason;
    private string? _safeguardingMessage;
    private bool _confirmClear;
    private ContactEdit? _editing;
    private IReadOnlyList<string>? _contactErrors;
    private Guid? _revokedFor;
    private string? _revokedMessage;
    private IReadOnlyList<ListOpenRequests.Row>? _requests;
    private IReadOnlyList<ConsentHub.PaperReturns.ListPaperScans.Row>? _scans;
    private string? _linkMessage;
    private bool _linkOk;
    private bool _sendingLink;

    private sealed class ContactEdit
    {
        public Guid ContactId { get; init; }
        public string Relationship { get; set; } = "";
        public bool HasParentalResponsibility { get; set; }
        public bool NoContactOrder { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
    }

    private bool CanManage => _staff?.ScopeFor(StaffCapabilities.ManagePupils) is not null;

    private void EditContact(GetPupilRecord.ContactRow c)
    {
        _contactErrors = null;
        _editing = new ContactEdit
        {
            ContactId = c.ContactId,
            Relationship = c.Relationship,
            HasParentalResponsibility = c.HasParentalResponsibility,
            NoContactOrder = c.NoContactOrder,
            Email = c.Email,
            Phone = c.Phone,
        };
    }

    private async Task SaveContactAsync()
    {
        if (_editing is not { } e || _staff?.ScopeFor(StaffCapabilities.ManagePupils) is not { } scope) return;
        var result = await UpdateContact.HandleAsync(scope, new UpdatePupilContact.Request(PupilId, e.ContactId, e.Relationship,
            e.HasParentalResponsibility, e.NoContactOrder, e.Email, e.Phone));
        switch (result)
        {
            case UpdatePupilContact.Result.Invalid invalid:
                _contactErrors = [.. invalid.Errors.Values.SelectMany(v => v)];
                return;
            case UpdatePupilContact.Result.NotFound:
                _contactErrors = ["This contact is no longer linked to the pupil."];
                return;
        }
        _editing = null;
        _contactErrors = null;
        await LoadAsync();
    }

    /// <summary>Stops every change link the contact holds for this pupil (they can ask for a new one at /sign/lost).</summary>
    private async Task RevokeLinksAsync(GetPupilRecord.ContactRow c)
    {
        if (_staff?.ScopeFor(StaffCapabilities.ManagePupils) is not { } scope) return;
        var result = await RevokeLinks.HandleAsync(scope, PupilId, c.ContactId);
        _revokedFor = c.ContactId;
        _revokedMessage = result switch
        {
            ConsentHub.Signing.RevokeChangeLinks.Result.Revoked { Links: 0 } => $"{c.Name} has no change links that still work.",
            ConsentHub.Signing.RevokeChangeLinks.Result.Revoked r => $"Stopped {r.Links} change link(s) of {c.Name}. A new one can be asked for at /sign/lost.",
            _ => "This contact is no longer linked to the pupil.",
        };
    }

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _staff = await Current.GetAsync();
        await LoadAsync();
        // Another academy's pupil, or a guessed id: a 404 like every other out-of-scope id, not a page that says so.
        if (_record is null) Navigation.NotFound();
    }

    private async Task LoadAsync()
    {
        _record = _staff is null ? null : await Records.HandleAsync(new GetPupilRecord.Viewer(_staff.Scope,
            _staff.ScopesFor(StaffCapabilities.ViewContactDetails), _staff.ScopesFor(StaffCapabilities.Safeguarding)), PupilId);
        // The office's own list of this pupil's open requests, scoped like the open-requests page (managers only).
        _requests = _record is not null && _staff?.ScopeFor(StaffCapabilities.ManagePupils) is { } manage
            ? (await OpenRequests.HandleAsync(manage, _record.AcademyId, new ListOpenRequests.Filter(Pupil: PupilId))).Rows
            : null;
        // Scans of signed paper forms carry a parent's name and signature: only for staff who see contact details there.
        _scans = _record is not null && _staff?.ScopeFor(StaffCapabilities.ViewContactDetails) is { } contacts
            ? await Scans.HandleAsync(contacts, PupilId)
            : null;
        _askParentReason ??= _record?.AlsoAskParentReason;
        _safeguardingReason ??= _record?.SafeguardingReason;
        _loaded = true;
    }

    /// <summary>A fresh link for one open request (the parent lost the email): the old link stops working; audited by the use case.</summary>
    private async Task SendNewLinkAsync(ListOpenRequests.Row row)
    {
        if (_staff?.ScopeFor(StaffCapabilities.ManagePupils) is not { } scope || _sendingLink) return;
        _sendingLink = true;
        try
        {
            (_linkMessage, _linkOk) = await NewLink.HandleAsync(scope, row.RequestId) switch
            {
                SendNewSigningLink.Result.Sent sent => ($"A new link was emailed to {sent.Recipient}. The old link no longer works.", true),
                SendNewSigningLink.Result.NoEmail none => (none.Problem, false),
                SendNewSigningLink.Result.NotOpen closed => (closed.Problem, false),
                _ => ("That request was not found.", false),
            };
            if (_linkOk) Drain.Now();
            await LoadAsync();
        }
        finally
        {
            _sendingLink = false;
        }
    }

    private static string DateOfBirth(DateOnly date) => date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));

    private async Task SetAskParentAsync(bool ask)
    {
        if (_staff?.ScopeFor(StaffCapabilities.ManagePupils) is not { } scope) return;
        var result = await AskParent.HandleAsync(scope, PupilId, ask, _askParentReason);
        _askParentMessage = result is SetAlsoAskParent.Result.Invalid invalid ? invalid.Message : null;
        // The parent is asked (or no longer chased) by the academy's rollover, in the background.
        if (result is SetAlsoAskParent.Result.Saved && _record is not null)
            Rollover.Now(_record.AcademyId, ConsentHub.Rollover.RolloverTrigger.AlsoAskParent, scope.Actor);
        await LoadAsync();
    }

    private async Task SetSafeguardingAsync(bool flagged)
    {
        if (_staff?.ScopeFor(StaffCapabilities.Safeguarding) is not { } scope) return;
        var result = await Safeguarding.HandleAsync(scope, PupilId, flagged, _safeguardingReason);
        _safeguardingMessage = result is SetSafeguardingFlag.Result.Invalid invalid ? invalid.Message : null;
        if (!flagged) _safeguardingReason = null;
        await LoadAsync();
    }

    private async Task ClearSafeguardingAsync()
    {
        _confirmClear = false;
        await SetSafeguardingAsync(false);
    }

    private static string Label(ConsentStatus status) => status switch
    {
        ConsentStatus.Allowed => "Yes",
        ConsentStatus.NotAllowed => "No",
        ConsentStatus.Pending => "Not yet",
        _ => "Not asked",
    };

    private static string Badge(ConsentStatus status) => status switch
    {
        ConsentStatus.Allowed => "text-bg-success",
        ConsentStatus.NotAllowed => "text-bg-danger",
        ConsentStatus.Pending => "text-bg-warning",
        _ => "text-bg-secondary",
    };

    /// <summary>The scan an answer was recorded from, when this viewer may open it.</summary>
    private ConsentHub.PaperReturns.ListPaperScans.Row? ScanOf(GetPupilRecord.AnswerRow a) =>
        a.ScanReference is { } reference ? _scans?.FirstOrDefault(s => s.Reference == reference) : null;

    private static string ScanLabel(ConsentHub.PaperReturns.ListPaperScans.Row s) =>
        $"Scan of the paper form, recorded {UkCalendar.Format(s.UploadedAt)} ({(s.ContentType switch { "application/pdf" => "PDF", "image/png" => "PNG image", _ => "JPEG image" })}, {Math.Max(1, (s.Size + 1023) / 1024):N0} KB)";

    private static string How(GetPupilRecord.AnswerRow a) => a.Method switch
    {
        AnswerMethod.Online => a.SignatureName is null ? "online" : $"online, signed “{a.SignatureName}”",
        AnswerMethod.Paper => $"paper form, recorded by {a.RecordedBy}" + (a.ScanReference is null || a.ScanReference.StartsWith("scan:", StringComparison.Ordinal) ? "" : $" (scan {a.ScanReference})"),
        _ => $"told to {a.RecordedBy}",
    };
}
