using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Sources.Bench;

/// <summary>What every harness states about its run: the build, the machine, the code measured, and where the repository is.</summary>
internal static class Harness
{
    /// <summary>False (with the reason on stderr) unless the harness was built in Release: numbers from any other build mean nothing.</summary>
    public static bool IsRelease(Assembly harness, string command)
    {
        var configuration = harness.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        if (configuration == "Release") return true;
        Console.Error.WriteLine($"This is a {configuration} build; numbers from it mean nothing. Run: {command}");
        return false;
    }

    /// <summary>The cores (and their model), the OS and the runtime; <paramref name="sharing"/> says what else ran on these cores.</summary>
    public static string Machine(string sharing, bool withMemory = false)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = withMemory ? $", {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB available to .NET" : "";
        return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}{memory}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; {sharing}";
    }

    /// <summary>The 1, 5 and 15 minute load averages, or "unknown" where /proc has none.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Which code was measured: the commit, and whether the service's sources differed from it.</summary>
    public static string SourceState()
    {
        static string Git(params string[] arguments)
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : throw new InvalidOperationException(git.StandardError.ReadToEnd());
        }

        try
        {
            var dirty = Git("status", "--porcelain", "--", "src").Length > 0;
            return $"commit {Git("rev-parse", "--short", "HEAD")}{(dirty ? ", with uncommitted changes under src/" : "")}";
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "an unknown commit";
        }
    }

    /// <summary>The folder holding Sources.sln, above the harness's build output.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sources.sln"))) return dir.FullName;
        throw new InvalidOperationException("Sources.sln was not found above the harness; pass --no-write or run it from the repository.");
    }
}
