using ConsentHub.Api;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Trust;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Data;

public class ConsentHubDbContext(DbContextOptions<ConsentHubDbContext> options) : DbContext(options)
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
    public DbSet<ConsentAnswer> ConsentAnswers => Set<ConsentAnswer>();
    public DbSet<CurrentAnswer> CurrentAnswers => Set<CurrentAnswer>();
    public DbSet<SignatureRequest> SignatureRequests => Set<SignatureRequest>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Checks.PupilConsentFacts> PupilConsentFacts => Set<Checks.PupilConsentFacts>();
    public DbSet<Trust.Accounts.AffiliatedAccount> AffiliatedAccounts => Set<Trust.Accounts.AffiliatedAccount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("consenthub");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ConsentHubDbContext).Assembly);
    }
}
