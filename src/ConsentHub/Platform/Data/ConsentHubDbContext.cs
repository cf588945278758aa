using ConsentHub.Api;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Staff;
using ConsentHub.Trust;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Data;

/// <summary>
/// The app's one context. It also holds the staff accounts (ASP.NET Core Identity's user tables, without Identity's
/// global roles: roles are scoped assignments) and the Data Protection key ring shared by every instance.
/// </summary>
public class ConsentHubDbContext(DbContextOptions<ConsentHubDbContext> options)
    : IdentityUserContext<StaffUser, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<TrustOrganisation> Trusts => Set<TrustOrganisation>();
    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Academy> Academies => Set<Academy>();
    public DbSet<PostingPause> PostingPauses => Set<PostingPause>();
    public DbSet<Pupil> Pupils => Set<Pupil>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<PupilContact> PupilContacts => Set<PupilContact>();
    public DbSet<SafeguardingFlag> SafeguardingFlags => Set<SafeguardingFlag>();
    public DbSet<Purpose> Purposes => Set<Purpose>();
    public DbSet<FormVersion> FormVersions => Set<FormVersion>();
    public DbSet<FormWording> FormWordings => Set<FormWording>();
    public DbSet<TranslationReview> TranslationReviews => Set<TranslationReview>();
    public DbSet<ConsentAnswer> ConsentAnswers => Set<ConsentAnswer>();
    public DbSet<CurrentAnswer> CurrentAnswers => Set<CurrentAnswer>();
    public DbSet<AnswerIdempotencyKey> AnswerIdempotencyKeys => Set<AnswerIdempotencyKey>();
    public DbSet<SignatureRequest> SignatureRequests => Set<SignatureRequest>();
    public DbSet<RequestIssue> RequestIssues => Set<RequestIssue>();
    public DbSet<Signing.SignerLink> SignerLinks => Set<Signing.SignerLink>();
    public DbSet<Signing.OnlineSubmission> OnlineSubmissions => Set<Signing.OnlineSubmission>();
    public DbSet<Signing.SigningLockout> SigningLockouts => Set<Signing.SigningLockout>();
    public DbSet<Takedowns.TakedownTask> TakedownTasks => Set<Takedowns.TakedownTask>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Checks.PupilConsentFacts> PupilConsentFacts => Set<Checks.PupilConsentFacts>();
    public DbSet<Trust.Accounts.AffiliatedAccount> AffiliatedAccounts => Set<Trust.Accounts.AffiliatedAccount>();
    public DbSet<StaffRoleAssignment> StaffRoleAssignments => Set<StaffRoleAssignment>();
    public DbSet<StaffSession> StaffSessions => Set<StaffSession>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<AcademyLogo> AcademyLogos => Set<AcademyLogo>();
    public DbSet<Forms.FormPack> FormPacks => Set<Forms.FormPack>();
    public DbSet<PaperReturns.PaperScan> PaperScans => Set<PaperReturns.PaperScan>();
    public DbSet<Chasing.FollowUp> FollowUps => Set<Chasing.FollowUp>();
    public DbSet<Chasing.FollowUpAction> FollowUpActions => Set<Chasing.FollowUpAction>();
    public DbSet<Rollover.RolloverReport> RolloverReports => Set<Rollover.RolloverReport>();
    public DbSet<Renewals.RenewalAsk> RenewalAsks => Set<Renewals.RenewalAsk>();
    public DbSet<Retention.RetentionRun> RetentionRuns => Set<Retention.RetentionRun>();
    public DbSet<Photos.Photo> Photos => Set<Photos.Photo>();
    public DbSet<Photos.PhotoFace> PhotoFaces => Set<Photos.PhotoFace>();
    public DbSet<Photos.PhotoExport> PhotoExports => Set<Photos.PhotoExport>();
    public DbSet<Photos.PhotoPost> PhotoPosts => Set<Photos.PhotoPost>();
    public DbSet<Photos.PhotoPostPupil> PhotoPostPupils => Set<Photos.PhotoPostPupil>();
    public DbSet<Photos.PhotoOriginal> PhotoOriginals => Set<Photos.PhotoOriginal>();
    public DbSet<Photos.PhotoDevice> PhotoDevices => Set<Photos.PhotoDevice>();
    public DbSet<Photos.PhotoBatch> PhotoBatches => Set<Photos.PhotoBatch>();
    public DbSet<Photos.PhotoBatchItem> PhotoBatchItems => Set<Photos.PhotoBatchItem>();
    public DbSet<Monitoring.CoverageSnapshot> CoverageSnapshots => Set<Monitoring.CoverageSnapshot>();
    public DbSet<Monitoring.BoardMeeting> BoardMeetings => Set<Monitoring.BoardMeeting>();
    public DbSet<Monitoring.MonitoringReport> MonitoringReports => Set<Monitoring.MonitoringReport>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema("consenthub");
        // Identity's tables first (schema version 1: no passkeys), then ours rename them and add the rest.
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ConsentHubDbContext).Assembly);
    }
}
