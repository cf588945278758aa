using System.Globalization;
using ConsentHub.Email;
using Microsoft.AspNetCore.Components;

namespace ConsentHub.Web.Components.Pages.Dev;

/// <summary>The development mail drop: what the app would have sent. Not found outside Development.</summary>
public partial class MailDrop
{
    private bool _available;
    private IReadOnlyList<DroppedMailSummary> _messages = [];
    private DroppedMail? _selected;

    [Inject] private IWebHostEnvironment Environment { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private ReadMailDrop Mail { get; set; } = null!;

    [SupplyParameterFromQuery] private string? Message { get; set; }

    protected override void OnInitialized()
    {
        if (!Environment.IsDevelopment())
        {
            Navigation.NotFound();
            return;
        }
        _available = true;
        _messages = Mail.List();
        if (Message is not null) _selected = Mail.Find(Message);
    }

    private static string Format(DateTimeOffset date) =>
        date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
