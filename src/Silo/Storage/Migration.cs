using System.Reflection;

namespace Sources.Silo.Storage;

/// <summary>One versioned schema script, e.g. Sql/Postgres/0001_orleans.sql is version 1, "orleans".</summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    // Must match the LogicalName given to the scripts in Sources.Silo.csproj.
    private const string ResourcePrefix = "Sources.Silo.Storage.Sql/";

    /// <summary>The scripts embedded for one engine, oldest first.</summary>
    public static IReadOnlyList<Migration> Load(string scriptFolder)
    {
        var assembly = typeof(Migration).Assembly;
        var prefix = ResourcePrefix + scriptFolder + "/";
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Parse(assembly, name, Path.GetFileNameWithoutExtension(name[prefix.Length..])))
            .OrderBy(m => m.Version)
            .ToList();

        if (migrations.Count == 0)
        {
            throw new InvalidOperationException($"No schema scripts are embedded for {scriptFolder}.");
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two {scriptFolder} schema scripts claim version {duplicate.Key}.");
        }

        return migrations;
    }

    private static Migration Parse(Assembly assembly, string resource, string fileName)
    {
        var separator = fileName.IndexOf('_');
        if (separator <= 0 || !int.TryParse(fileName[..separator], out var version) || version <= 0)
        {
            throw new InvalidOperationException($"Schema script '{resource}' must be named <version>_<name>.sql, e.g. 0001_orleans.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, fileName[(separator + 1)..], reader.ReadToEnd());
    }
}
