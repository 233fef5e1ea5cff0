namespace Sources.Contracts.Tests;

/// <summary>The generated corpus, built once for the tests that share it.</summary>
internal static class Corpus
{
    private static readonly Lazy<List<Payload>> Shared = new(() => new PayloadGenerator(SpecDocument.Instance).Generate());

    public static IReadOnlyList<Payload> Payloads => Shared.Value;
}
