using ConsentHub.Consent;
using ConsentHub.Consent.Purposes;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Trust;

public sealed partial class Purposes
{
    [Inject] private ListPurposes List { get; set; } = default!;
    [Inject] private SavePurpose Save { get; set; } = default!;
    [Inject] private CurrentStaff Current { get; set; } = default!;

    private sealed class PurposeForm
    {
        public Guid? Id { get; set; }
        public string Key { get; set; } = "";
        public string Name { get; set; } = "";
        public string Description { get; set; } = "";
        public LawfulBasis LawfulBasis { get; set; } = LawfulBasis.Consent;
        public ValidityKind ValidityKind { get; set; } = ValidityKind.UntilWithdrawn;
        public int ValidityMonths { get; set; } = 12;
        public bool PublishesOnTrustAccounts { get; set; }
        public bool Active { get; set; } = true;
        public int SortOrder { get; set; }
    }

    private IReadOnlyList<Purpose>? _purposes;
    private PurposeForm _form = new();
    private IReadOnlyList<string>? _errors;
    private string? _saved;

    protected override async Task OnInitializedAsync() => _purposes = await List.HandleAsync();

    private void Edit(Purpose p)
    {
        _errors = null;
        _saved = null;
        _form = new PurposeForm
        {
            Id = p.Id,
            Key = p.Key,
            Name = p.Name,
            Description = p.Description,
            LawfulBasis = p.LawfulBasis,
            ValidityKind = p.ValidityKind,
            ValidityMonths = p.ValidityMonths == 0 ? 12 : p.ValidityMonths,
            PublishesOnTrustAccounts = p.PublishesOnTrustAccounts,
            Active = p.Active,
            SortOrder = p.SortOrder,
        };
    }

    private async Task SaveAsync()
    {
        var actor = (await Current.GetAsync())?.Actor ?? "unknown";
        var f = _form;
        var sortOrder = f.Id is null ? (_purposes?.Count ?? 0) : f.SortOrder;
        var result = await Save.HandleAsync(new SavePurpose.Request(f.Id, f.Key, f.Name, f.Description, f.LawfulBasis, f.ValidityKind,
            f.ValidityMonths, f.PublishesOnTrustAccounts, f.Active, sortOrder), actor);
        switch (result)
        {
            case SavePurpose.Result.Invalid invalid:
                _errors = [.. invalid.Errors.Values.SelectMany(v => v)];
                _saved = null;
                return;
            case SavePurpose.Result.NotFound:
                _errors = ["This purpose no longer exists."];
                return;
        }
        _saved = $"{f.Name} is saved. Checks use it within a few seconds.";
        _errors = null;
        _form = new PurposeForm();
        _purposes = await List.HandleAsync();
    }
}
