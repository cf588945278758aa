namespace ConsentHub.Hosting;

/// <summary>Settings under "Database". With no ConnectionStrings:ConsentHub the app runs its own private cluster.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// The private cluster's data folder. Default: <c>$XDG_DATA_HOME/consenthub/pgdata</c>
    /// (<c>~/.local/share/consenthub/pgdata</c>); as root <c>/var/lib/consenthub/pgdata</c>, which the
    /// postgres account can reach.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Folder holding initdb and pg_ctl; empty means search PATH, pg_config and /usr/lib/postgresql.</summary>
    public string? PostgresBinDirectory { get; set; }

    public string DatabaseName { get; set; } = "consenthub";

    /// <summary>Apply pending migrations on start. Always done for the private cluster; on in Development.</summary>
    public bool MigrateOnStartup { get; set; }

    public string ResolveDataDirectory()
    {
        if (!string.IsNullOrWhiteSpace(DataDirectory)) return Path.GetFullPath(DataDirectory);
        return DataFolder.Resolve("pgdata");
    }
}
