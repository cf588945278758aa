using ConsentHub.Photos;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ConsentHub.Web.Components.Pages.Trust;

/// <summary>The trust's device register (policy §6.4): list, add, remove; the use case validates and audits.</summary>
public sealed partial class Devices
{
    [Inject] private PhotoDeviceRegister Register { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private IReadOnlyList<PhotoDevice>? _devices;
    private string? _make;
    private string? _model;
    private string? _serial;
    private string? _label;
    private PhotoDeviceRegister.Result.Invalid? _error;
    private string? _saved;
    private bool _busy;

    protected override async Task OnInitializedAsync() => _devices = await Register.ListAsync();

    private async Task<string> ActorAsync() =>
        AuthenticationState is null ? "unknown" : (await AuthenticationState).User.Identity?.Name ?? "unknown";

    private async Task AddAsync()
    {
        _busy = true;
        _saved = null;
        _error = null;
        try
        {
            switch (await Register.AddAsync(await ActorAsync(), new PhotoDeviceRegister.Request(_make, _model, _serial, _label)))
            {
                case PhotoDeviceRegister.Result.Invalid invalid:
                    _error = invalid;
                    break;
                default:
                    _saved = $"{_make?.Trim()} {_model?.Trim()} is on the register.";
                    (_make, _model, _serial, _label) = (null, null, null, null);
                    _devices = await Register.ListAsync();
                    break;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveAsync(Guid id)
    {
        await Register.RemoveAsync(await ActorAsync(), id);
        _devices = await Register.ListAsync();
    }
}
