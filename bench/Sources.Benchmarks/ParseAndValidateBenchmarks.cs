using System.Text;
using BenchmarkDotNet.Attributes;
using Sources.Contracts;
using Sources.Contracts.Tests;

namespace Sources.Benchmarks;

/// <summary>
/// UTF-8 bytes → request object, over one valid request of each of the eleven connection types
/// per invocation (so each row is the cost of one request of the mix): the generated reader
/// (parse + every rule of the spec), NJsonSchema (parse + validate against the same spec), and
/// plain System.Text.Json into the same types with no validation, the baseline.
/// </summary>
/// <remarks>Short on purpose (one launch, 3 warm-ups, 15 measured iterations). The machine has two
/// shared, noisy cores, so the Min and Median columns are shown beside the Mean: on a busy machine
/// the Min is the steadiest estimate of what the code itself costs.</remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class ParseAndValidateBenchmarks
{
    /// <summary>One request per connection type; checked against the spec in <see cref="Setup"/>.</summary>
    private const int Requests = 11;

    private byte[][] _corpus = [];
    private NJsonSchemaOracle _njsonschema = null!;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = Corpus.Load();
        if (_corpus.Length != Requests)
            throw new InvalidOperationException($"The spec has {_corpus.Length} connection types; set Requests to match.");
        _njsonschema = NJsonSchemaOracle.Instance;

        // Every reader must accept every request, or a row would time an error path instead.
        if (Generated() != Requests || NJsonSchema() != Requests || PlainSystemTextJson() != Requests)
            throw new InvalidOperationException("A reader refused a request of the corpus.");
    }

    [Benchmark(OperationsPerInvoke = Requests, Description = "Generated CreateSourceRequest.Parse")]
    public int Generated()
    {
        var valid = 0;
        foreach (var request in _corpus)
            if (CreateSourceRequest.Parse(request).IsValid) valid++;
        return valid;
    }

    [Benchmark(OperationsPerInvoke = Requests, Description = "NJsonSchema parse + validate")]
    public int NJsonSchema()
    {
        var valid = 0;
        foreach (var request in _corpus)
            if (_njsonschema.Validate(Encoding.UTF8.GetString(request)).Count == 0) valid++;
        return valid;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "Plain STJ, no validation")]
    public int PlainSystemTextJson()
    {
        var valid = 0;
        foreach (var request in _corpus)
            if (PlainJsonReader.Read(request) is not null) valid++;
        return valid;
    }
}
