using ConsentHub.Email;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Data;

public class ConsentHubDbContext(DbContextOptions<ConsentHubDbContext> options) : DbContext(options)
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("consenthub");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ConsentHubDbContext).Assembly);
    }
}
