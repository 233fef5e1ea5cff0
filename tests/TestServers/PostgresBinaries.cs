namespace Sources.TestServers;

/// <summary>
/// Finds the PostgreSQL server programs that Debian's <c>postgresql</c> package installs under
/// <c>/usr/lib/postgresql/&lt;major&gt;/bin</c>; they are not on PATH, and more than one major
/// version may be present, so the newest one wins.
/// </summary>
public static class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>The folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>.</summary>
    /// <param name="root">Where the major versions live; Debian's folder unless a test says otherwise.</param>
    /// <exception cref="InvalidOperationException">No server installation was found.</exception>
    public static string FindBinDirectory(string root = DebianRoot)
    {
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Major: MajorOf(dir)))
                .Where(c => c.Major is not null && File.Exists(Path.Combine(c.Dir, "initdb")) && File.Exists(Path.Combine(c.Dir, "pg_ctl")))
                .OrderByDescending(c => c.Major)
                .ToList()
            : [];

        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL server binaries were not found under {root}/*/bin. " +
                "Run the tests through scripts/test.sh, which installs the Debian 'postgresql' package when it is missing.");
        }

        return candidates[0].Dir;
    }

    private static int? MajorOf(string dir) => int.TryParse(Path.GetFileName(dir), out var major) ? major : null;
}
