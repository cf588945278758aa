using ConsentHub.Access;
using ConsentHub.PaperReturns;
using ConsentHub.Text;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace ConsentHub.Web.Components.Pages.PaperReturns;

/// <summary>Office staff find a returned paper form by its code and record its answers, with an optional scan.</summary>
public sealed partial class PaperReturn
{
    [Inject] private FindPaperReturn Find { get; set; } = default!;
    [Inject] private RecordPaperReturn Record { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private string? _code;
    private FindPaperReturn.Found? _found;
    private readonly Dictionary<string, bool> _answers = new(StringComparer.Ordinal);
    private DateOnly? _signedOn;
    private bool _attested;
    private byte[]? _scan;
    private string? _scanName;
    private IReadOnlyList<string>? _problems;
    private string? _recorded;
    private Guid _recordedPupil;
    private bool _busy;
    private ElementReference _codeBox;

    /// <summary>Set when the code box should take the focus after the next render: on arrival and after each form recorded.</summary>
    private bool _focusCode = true;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!_focusCode) return;
        _focusCode = false;
        await _codeBox.FocusAsync();
    }

    /// <summary>Null until staff tick one: nothing is pre-selected, exactly like the paper form.</summary>
    private bool? Answer(string key) => _answers.TryGetValue(key, out var yes) ? yes : null;

    private async Task<AccessScope> ScopeAsync() =>
        (await Current.GetAsync())?.ScopeFor(StaffCapabilities.ManagePupils) ?? throw new InvalidOperationException("Not office staff.");

    private async Task FindAsync()
    {
        _recorded = null;
        _problems = null;
        _answers.Clear();
        _attested = false;
        _scan = null;
        _scanName = null;
        _signedOn = null;
        switch (await Find.ByCodeAsync(await ScopeAsync(), _code))
        {
            case FindPaperReturn.Result.Match m: _found = m.Request; break;
            case FindPaperReturn.Result.NotFound n: _found = null; _problems = [n.Message]; break;
        }
    }

    private async Task ScanChosenAsync(InputFileChangeEventArgs e)
    {
        _problems = null;
        if (e.File.Size > PaperScan.MaxBytes)
        {
            _scan = null;
            _scanName = null;
            _problems = [$"“{e.File.Name}” is {e.File.Size / 1024.0 / 1024.0:F1} MB; the most is 10 MB. Scan at a lower resolution or in black and white."];
            return;
        }
        using var memory = new MemoryStream();
        await e.File.OpenReadStream(PaperScan.MaxBytes).CopyToAsync(memory);
        _scan = memory.ToArray();
        _scanName = e.File.Name;
    }

    private async Task RecordAsync()
    {
        if (_found is not { } f) return;
        _busy = true;
        try
        {
            var scan = _scan is null ? null : new RecordPaperReturn.Scan(_scanName ?? "scan", _scan);
            switch (await Record.HandleAsync(await ScopeAsync(), new RecordPaperReturn.Request(f.RequestId, new Dictionary<string, bool>(_answers), _attested, scan, _signedOn)))
            {
                case RecordPaperReturn.Result.Recorded r:
                    _recorded = $"Recorded {Plural.Of(r.Answers, "answer", "answers").ToLowerInvariant()} from {f.PartyName} for {f.PupilName}{(r.ScanId is null ? "" : ", with the scan")}.";
                    _recordedPupil = r.PupilId;
                    _found = null;
                    _code = null;
                    _problems = null;
                    // Ready for the next form in the pile.
                    _focusCode = true;
                    break;
                case RecordPaperReturn.Result.Invalid invalid: _problems = invalid.Problems; break;
                default: _problems = ["That form was not found."]; _found = null; break;
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
