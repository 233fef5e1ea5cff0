namespace Sources.Generators.Tests.Harness;

/// <summary>The real contract (schema/sources.openapi.yaml, embedded in this assembly) and where specs pretend to live.</summary>
internal static class Specs
{
    public const string RealPath = "/specs/sources.openapi.yaml";
    public const string BadPath = "/specs/bad.openapi.yaml";

    public static string Real { get; } = ReadEmbedded("sources.openapi.yaml");

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(Specs).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"'{name}' is not embedded in the test assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
