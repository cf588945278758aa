using ConsentHub.Pupils;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Pupils;

public sealed partial class PupilSearch : IDisposable
{
    [Inject] private SearchPupils Search { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private StaffContext? _staff;
    private string _query = "";
    private bool _includeLeavers;
    private IReadOnlyList<SearchPupils.Hit>? _hits;
    private CancellationTokenSource? _typing;

    protected override async Task OnInitializedAsync() => _staff = await Current.GetAsync();

    private async Task OnInputAsync(ChangeEventArgs e)
    {
        _query = e.Value?.ToString() ?? "";
        await RunAsync(debounce: true);
    }

    private async Task OnLeaversAsync(ChangeEventArgs e)
    {
        _includeLeavers = e.Value is true;
        await RunAsync(debounce: false);
    }

    /// <summary>Searches once typing pauses (150 ms), so a fast typist sends one query, not one per key.</summary>
    private async Task RunAsync(bool debounce)
    {
        if (_typing is not null) await _typing.CancelAsync();
        _typing?.Dispose();
        _typing = new CancellationTokenSource();
        var token = _typing.Token;
        if (_staff is null) return;
        try
        {
            if (debounce) await Task.Delay(150, token);
            var hits = await Search.HandleAsync(_staff.Scope, _query, _includeLeavers, token);
            if (!token.IsCancellationRequested) _hits = hits;
        }
        catch (OperationCanceledException)
        {
            // A newer keystroke took over.
        }
    }

    public void Dispose()
    {
        _typing?.Cancel();
        _typing?.Dispose();
    }
}
