using ConsentHub.Trust;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Trust;

public sealed partial class RegionsAndAcademies
{
    [Inject] private ListAcademies List { get; set; } = default!;
    [Inject] private SaveAcademy Save { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;
    [Inject] private SaveAcademyLogo Logo { get; set; } = default!;

    private static readonly int[] Years = [.. Enumerable.Range(-2, 16)];

    private sealed class AcademyForm
    {
        public Guid? Id { get; set; }
        public string Code { get; set; } = "";
        public string Name { get; set; } = "";
        public AcademyPhase Phase { get; set; } = AcademyPhase.Primary;
        public int LowestYear { get; set; } = -2;
        public int HighestYear { get; set; } = 6;
        public Guid RegionId { get; set; }
        public string? OfficePhone { get; set; }
        public string? OfficeEmail { get; set; }
    }

    private IReadOnlyList<Academy>? _academies;
    private IReadOnlyList<Region> _regions = [];
    private AcademyForm _form = new();
    private string? _regionName;
    private IReadOnlyList<string>? _errors;
    private string? _saved;

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync() => (_academies, _regions) = await List.HandleAsync();

    private void Edit(Academy a)
    {
        _errors = null;
        _saved = null;
        _form = new AcademyForm { Id = a.Id, Code = a.Code, Name = a.Name, Phase = a.Phase, LowestYear = a.LowestYear, HighestYear = a.HighestYear, RegionId = a.RegionId, OfficePhone = a.OfficePhone, OfficeEmail = a.OfficeEmail };
    }

    private async Task<string> ActorAsync() => (await Current.GetAsync())?.Actor ?? "unknown";

    private async Task LogoChosenAsync(Guid academyId, Microsoft.AspNetCore.Components.Forms.InputFileChangeEventArgs e)
    {
        _saved = null;
        _errors = null;
        if (e.File.Size > AcademyLogo.MaxBytes)
        {
            _errors = [$"The logo is {e.File.Size / 1024} KB; the most is 512 KB."];
            return;
        }
        using var memory = new MemoryStream();
        await e.File.OpenReadStream(AcademyLogo.MaxBytes).CopyToAsync(memory);
        ShowLogo(await Logo.HandleAsync(academyId, e.File.Name, memory.ToArray(), await ActorAsync()), "The logo is saved; it prints on the next forms.");
    }

    private async Task RemoveLogoAsync(Guid academyId) =>
        ShowLogo(await Logo.HandleAsync(academyId, "", null, await ActorAsync()), "The logo is removed.");

    private void ShowLogo(SaveAcademyLogo.Result result, string success)
    {
        if (result is SaveAcademyLogo.Result.Invalid invalid)
        {
            _saved = null;
            _errors = [invalid.Message];
        }
        else
        {
            _saved = success;
            _errors = null;
        }
    }

    private async Task SaveAsync()
    {
        var f = _form;
        Show(await Save.HandleAsync(new SaveAcademy.Request(f.Id, f.Code, f.Name, f.Phase, f.LowestYear, f.HighestYear, f.RegionId, f.OfficePhone, f.OfficeEmail), await ActorAsync()),
            $"{f.Name} is saved.");
        if (_errors is null) _form = new AcademyForm();
        await LoadAsync();
    }

    private async Task AddRegionAsync()
    {
        Show(await Save.AddRegionAsync(_regionName ?? "", await ActorAsync()), $"{_regionName?.Trim()} is added.");
        if (_errors is null) _regionName = null;
        await LoadAsync();
    }

    private void Show(SaveAcademy.Result result, string success)
    {
        (_errors, _saved) = result switch
        {
            SaveAcademy.Result.Invalid invalid => ([.. invalid.Errors.Values.SelectMany(v => v)], null),
            SaveAcademy.Result.NotFound => (["That academy no longer exists."], null),
            _ => ((IReadOnlyList<string>?)null, success),
        };
    }
}
