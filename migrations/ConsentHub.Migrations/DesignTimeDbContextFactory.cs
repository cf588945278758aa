using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ConsentHub.Migrations;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the app or a database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ConsentHubDbContext>
{
    public ConsentHubDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ConsentHubDbContext>();
        DataServiceCollectionExtensions.Configure(options, "Host=localhost;Database=consenthub_design");
        return new ConsentHubDbContext(options.Options);
    }
}
