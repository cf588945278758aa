using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConsentHub.Data;

public static class DataServiceCollectionExtensions
{
    public const string MigrationsAssembly = "ConsentHub.Migrations";

    /// <summary>One NpgsqlDataSource for the process; a DbContext factory (one context per operation) on top of it.</summary>
    public static IServiceCollection AddConsentHubData(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ =>
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            // The check queries run thousands of times a second with the same text: let Npgsql prepare them.
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            // Nothing ConsentHub does leaves session state on a pooled connection (settings and advisory locks are
            // transaction-scoped, and nothing LISTENs on a pooled connection), so skip the reset statements Npgsql would
            // otherwise send, unparsed and unprepared, before every reuse. An explicit setting in the string wins.
            if (!builder.ConnectionStringBuilder.ContainsKey("No Reset On Close")) builder.ConnectionStringBuilder.NoResetOnClose = true;
            return builder.Build();
        });
        services.AddDbContextFactory<ConsentHubDbContext>((sp, options) => Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, ConfigureNpgsql).UseSnakeCaseNamingConvention();

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, ConfigureNpgsql).UseSnakeCaseNamingConvention();

    private static void ConfigureNpgsql(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsAssembly(MigrationsAssembly).MigrationsHistoryTable("__ef_migrations_history", "consenthub");
}
