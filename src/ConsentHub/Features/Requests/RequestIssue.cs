using ConsentHub.Consent;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ConsentHub.Requests;

/// <summary>Who the office sent the form to, and how.</summary>
public enum AudienceKind
{
    /// <summary>Every pupil on roll at the academy.</summary>
    WholeAcademy = 0,
    YearGroups = 1,

    /// <summary>Registration groups (classes, forms), as the MIS names them.</summary>
    RegistrationGroups = 2,

    /// <summary>Pupils picked one by one.</summary>
    ChosenPupils = 3,

    /// <summary>Pupils who started on or after a date (in-year admissions).</summary>
    NewStarters = 4,
}

/// <summary>
/// Who the form goes to at one academy. Only the list that <see cref="Kind"/> names is read: year groups as numbers
/// (N1 = -2, N2 = -1, R = 0, Years 1–13), registration groups as the MIS spells them, pupils by id, or the first
/// day from which new starters count.
/// </summary>
public sealed record IssueAudience(
    AudienceKind Kind,
    IReadOnlyList<int>? YearGroups = null,
    IReadOnlyList<string>? RegistrationGroups = null,
    IReadOnlyList<Guid>? PupilIds = null,
    DateOnly? StartedSince = null)
{
    public static IssueAudience WholeAcademy { get; } = new(AudienceKind.WholeAcademy);
    public static IssueAudience Years(params int[] years) => new(AudienceKind.YearGroups, YearGroups: years);
    public static IssueAudience Classes(params string[] groups) => new(AudienceKind.RegistrationGroups, RegistrationGroups: groups);
    public static IssueAudience Chosen(params Guid[] pupils) => new(AudienceKind.ChosenPupils, PupilIds: pupils);
    public static IssueAudience StartersSince(DateOnly since) => new(AudienceKind.NewStarters, StartedSince: since);
}

public enum IssueDelivery
{
    /// <summary>Email to every party with a working address; paper for the rest.</summary>
    EmailWherePossible = 0,

    /// <summary>Nobody is emailed: the office prints the forms (each carries its short code).</summary>
    PaperForEveryone = 1,
}

/// <summary>
/// One issue of a form: the audience, deadline and delivery the office chose, who did it and when, and what it
/// created. The signature requests it made point back to it, so a paper pack or a reminder can find "this issue".
/// </summary>
public sealed class RequestIssue
{
    public Guid Id { get; set; }
    public Guid AcademyId { get; set; }
    public Guid FormVersionId { get; set; }
    public AudienceKind AudienceKind { get; set; }

    /// <summary>The audience as the office chose it, e.g. "Years 7, 8" or "12 chosen pupils"; never names.</summary>
    public required string AudienceDescription { get; set; }

    public DateOnly Deadline { get; set; }
    public IssueDelivery Delivery { get; set; }
    public required string IssuedBy { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public int Pupils { get; set; }
    public int RequestsCreated { get; set; }
    public int EmailsQueued { get; set; }
    public int OnPaper { get; set; }

    /// <summary>Parties not asked again: they already had an open request, or had answered this form version.</summary>
    public int Skipped { get; set; }
}

internal sealed class RequestIssueConfiguration : IEntityTypeConfiguration<RequestIssue>
{
    public void Configure(EntityTypeBuilder<RequestIssue> b)
    {
        b.ToTable("request_issues");
        b.Property(x => x.AudienceKind).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.AudienceDescription).HasMaxLength(500);
        b.Property(x => x.Delivery).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.IssuedBy).HasMaxLength(200);
        b.HasIndex(x => new { x.AcademyId, x.IssuedAt });
        b.HasOne<Academy>().WithMany().HasForeignKey(x => x.AcademyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<FormVersion>().WithMany().HasForeignKey(x => x.FormVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
