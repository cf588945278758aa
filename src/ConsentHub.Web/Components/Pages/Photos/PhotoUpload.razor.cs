using ConsentHub.Access;
using ConsentHub.Photos;
using ConsentHub.Requests;
using ConsentHub.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Components.Pages.Photos;

/// <summary>
/// "Check a photo": upload one or many photos for an academy in the member of staff's scope. One photo goes straight
/// to its page; several are listed with a link each. A refused file says why and stores nothing.
/// </summary>
public sealed partial class PhotoUpload : IDisposable
{
    /// <summary>More files than this go to the background job with a progress bar; fewer are read here, one by one.</summary>
    public const int BatchFrom = 6;

    [Inject] private UploadPhotoBatch Batch { get; set; } = null!;
    private UploadPhotoBatch.Progress? _batch;
    private readonly CancellationTokenSource _gone = new();

    public void Dispose()
    {
        _gone.Cancel();
        _gone.Dispose();
    }

    [Inject] private ListIssueChoices Choices { get; set; } = null!;
    [Inject] private CurrentStaff Current { get; set; } = null!;
    [Inject] private UploadPhoto Upload { get; set; } = null!;
    [Inject] private IOptions<PhotoOptions> Options { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    /// <summary>The academy to upload for, e.g. from the check page.</summary>
    // Read as text: a query value that is not a GUID (a typo, or a hand-made link) falls back to the first academy
    // instead of failing the page.
    [SupplyParameterFromQuery(Name = "academy")] public string? Academy { get; set; }

    private sealed record Uploaded(string Name, Guid? PhotoId, string Message);

    private List<ListIssueChoices.AcademyChoice>? _academies;
    private readonly Dictionary<Guid, AccessScope> _scopeOf = [];
    private Guid _academyId;
    private bool _busy;
    private string _progress = "";
    private readonly List<Uploaded> _results = [];

    protected override async Task OnInitializedAsync()
    {
        var staff = await Current.GetAsync();
        var academies = new List<ListIssueChoices.AcademyChoice>();
        if (staff is not null)
        {
            foreach (var scope in staff.ScopesFor(StaffCapabilities.CheckConsent))
            {
                foreach (var a in await Choices.AcademiesAsync(scope))
                {
                    if (_scopeOf.TryAdd(a.Id, scope)) academies.Add(a);
                }
            }
        }
        _academies = [.. academies.OrderBy(a => a.Name, StringComparer.CurrentCulture)];
        _academyId = Guid.TryParse(Academy, out var wanted) && _scopeOf.ContainsKey(wanted) ? wanted : _academies.FirstOrDefault()?.Id ?? Guid.Empty;
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        if (!_scopeOf.TryGetValue(_academyId, out var scope)) return;
        _busy = true;
        _results.Clear();
        var files = e.GetMultipleFiles(UploadPhotoBatch.MaxFiles);
        var max = Options.Value.MaxBytes;
        if (files.Count >= BatchFrom)
        {
            await UploadBatchAsync(scope, files, max);
            return;
        }
        foreach (var file in files)
        {
            _progress = file.Name;
            StateHasChanged();
            if (file.Size > max)
            {
                _results.Add(new(file.Name, null, $"The file is larger than {max / (1024 * 1024)} MB. Send a smaller copy of the photo."));
                continue;
            }
            using var buffer = new MemoryStream((int)file.Size);
            await using (var stream = file.OpenReadStream(max))
                await stream.CopyToAsync(buffer);
            var result = await Upload.HandleAsync(scope, new UploadPhoto.Request(_academyId, buffer.ToArray()));
            _results.Add(result switch
            {
                UploadPhoto.Result.Uploaded u => new(file.Name, u.PhotoId, (u.Faces == 1 ? "1 face found." : $"{u.Faces} faces found.")
                    + (u.UnregisteredCamera is { } camera ? " " + PhotoPage.UnregisteredCameraWarning(camera) : "")),
                UploadPhoto.Result.Refused r => new(file.Name, null, r.Message),
                _ => new(file.Name, null, "This academy is not in your scope."),
            });
        }
        _busy = false;
        if (_results.Count == 1 && _results[0].PhotoId is { } only) Navigation.NavigateTo($"photos/{only}");
    }

    /// <summary>
    /// Many files: each is sent to the server and staged (one in memory at a time), one job does the rest, and the
    /// page follows its progress until it finishes (the page may be left: the job carries on).
    /// </summary>
    private async Task UploadBatchAsync(AccessScope scope, IReadOnlyList<IBrowserFile> files, long max)
    {
        _batch = null;
        var batchId = await Batch.BeginAsync(scope, _academyId, files.Count);
        if (batchId is not { } id)
        {
            _busy = false;
            return;
        }
        var position = 0;
        foreach (var file in files)
        {
            _progress = $"{file.Name} ({position + 1} of {files.Count})";
            StateHasChanged();
            if (file.Size > max)
            {
                _results.Add(new(file.Name, null, $"The file is larger than {max / (1024 * 1024)} MB. Send a smaller copy of the photo."));
                continue;
            }
            using var buffer = new MemoryStream((int)file.Size);
            await using (var stream = file.OpenReadStream(max))
                await stream.CopyToAsync(buffer);
            await Batch.AddAsync(scope, id, position++, buffer.ToArray());
        }
        await Batch.StartAsync(scope, id);
        _busy = false;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                _batch = await Batch.GetProgressAsync(scope, id, _gone.Token);
                StateHasChanged();
            }
            while (_batch is { Finished: false } && await timer.WaitForNextTickAsync(_gone.Token));
        }
        catch (OperationCanceledException)
        {
            // The page was left; the job carries on.
        }
    }
}
