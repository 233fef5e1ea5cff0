namespace Sources.TestServers;

/// <summary>
/// A folder for a throw-away server's files, on tmpfs (/dev/shm) where the machine has one:
/// MariaDB's bootstrap syncs its files to disk hundreds of times, about 7 s on a disk and
/// under 2 s in memory, and the data dies with the test run anyway.
/// </summary>
internal static class ScratchFolder
{
    private const string Memory = "/dev/shm";

    public static string Create(string prefix)
    {
        if (!Directory.Exists(Memory))
        {
            return Directory.CreateTempSubdirectory(prefix).FullName;
        }

        var path = Path.Combine(Memory, prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }
}
