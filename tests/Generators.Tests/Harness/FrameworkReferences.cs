using Microsoft.CodeAnalysis;

namespace Sources.Generators.Tests.Harness;

/// <summary>
/// What generated code is compiled against: the shared framework the test host runs on,
/// taken from its trusted platform assemblies (only those beside System.Private.CoreLib,
/// so the test's own packages never leak into the compilation).
/// </summary>
internal static class FrameworkReferences
{
    public static IReadOnlyList<MetadataReference> All { get; } = Load();

    private static MetadataReference[] Load()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return trusted.Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == frameworkDirectory)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    }
}
