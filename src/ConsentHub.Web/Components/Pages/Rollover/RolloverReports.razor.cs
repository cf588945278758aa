using ConsentHub.Access;
using ConsentHub.Rollover;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Rollover;

/// <summary>The rollover runs at the academies in the viewer's scope; one run's pupils on request (audited).</summary>
public sealed partial class RolloverReports
{
    [Inject] private ListRolloverReports Reports { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private AccessScope? _scope;
    private IReadOnlyList<ListRolloverReports.Row>? _rows;
    private ListRolloverReports.Detail? _detail;

    protected override async Task OnInitializedAsync()
    {
        _scope = (await Current.GetAsync())?.ScopeFor(StaffCapabilities.ViewReports);
        _rows = _scope is null ? [] : await Reports.HandleAsync(_scope);
    }

    private async Task ShowAsync(Guid id)
    {
        if (_scope is not null) _detail = await Reports.GetAsync(_scope, id);
    }

    private static string Why(RolloverTrigger trigger) => trigger switch
    {
        RolloverTrigger.YearStart => "Start of the academic year",
        RolloverTrigger.Import => "Import changed year groups",
        RolloverTrigger.AlsoAskParent => "Sixth-form parent flag changed",
        _ => "Run by hand",
    };
}
