using System.Diagnostics;
using Sources.Contracts;

namespace Sources.Benchmarks;

/// <summary>
/// A cross-check for a busy machine, per connection type: the generated reader and plain STJ
/// timed in alternation on the same request, many rounds, keeping each one's fastest round.
/// Load from other processes then falls on both alike, which BenchmarkDotNet's one-method-
/// after-another runs cannot promise. Not a replacement for its table: no allocations, no statistics.
/// </summary>
internal static class InterleavedComparison
{
    private const int Rounds = 60;
    private const int ReadsPerRound = 2000;

    public static void Run()
    {
        var corpus = Corpus.Load();
        var benchmarks = new ParseAndValidateBenchmarks();
        benchmarks.Setup();
        for (var warm = 0; warm < 20; warm++) { benchmarks.Generated(); benchmarks.PlainSystemTextJson(); }

        Console.WriteLine("| Type | Bytes | Generated (ns) | Plain STJ (ns) | Ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        double generatedTotal = 0, plainTotal = 0;
        for (var i = 0; i < corpus.Length; i++)
        {
            var request = corpus[i];
            var (generated, plain) = Fastest(
                () => CreateSourceRequest.Parse(request).IsValid,
                () => PlainJsonReader.Read(request) is not null);
            generatedTotal += generated;
            plainTotal += plain;
            Console.WriteLine($"| {CreateSourceRequest.Discriminators[i]} | {request.Length} | {generated:F0} | {plain:F0} | {generated / plain:F2} |");
        }
        Console.WriteLine($"| mix (mean) | | {generatedTotal / corpus.Length:F0} | {plainTotal / corpus.Length:F0} | {generatedTotal / plainTotal:F2} |");
    }

    private static (double A, double B) Fastest(Func<bool> a, Func<bool> b)
    {
        double bestA = double.MaxValue, bestB = double.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            // Alternate which goes first, so neither always runs on a warmer cache.
            if (round % 2 == 0) { bestA = Math.Min(bestA, Time(a)); bestB = Math.Min(bestB, Time(b)); }
            else { bestB = Math.Min(bestB, Time(b)); bestA = Math.Min(bestA, Time(a)); }
        }
        return (bestA, bestB);
    }

    private static double Time(Func<bool> read)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < ReadsPerRound; i++)
            if (!read()) throw new InvalidOperationException("A reader refused a request of the corpus.");
        return clock.Elapsed.TotalNanoseconds / ReadsPerRound;
    }
}
