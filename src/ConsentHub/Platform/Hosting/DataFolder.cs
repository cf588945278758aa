namespace ConsentHub.Hosting;

/// <summary>
/// Where the app keeps its local state when not told otherwise: <c>$XDG_DATA_HOME/consenthub</c>
/// (<c>~/.local/share/consenthub</c>); as root <c>/var/lib/consenthub</c>, which the postgres account can reach.
/// Outside the source tree, so a developer's data and mail never end up in a commit.
/// </summary>
public static class DataFolder
{
    public static string Root()
    {
        if (Environment.UserName == "root") return "/var/lib/consenthub";
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(root, "consenthub");
    }

    public static string Resolve(string leaf) => Path.Combine(Root(), leaf);
}
