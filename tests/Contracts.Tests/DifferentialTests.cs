using System.Text;
using Xunit.Abstractions;

namespace Sources.Contracts.Tests;

/// <summary>
/// The generated reader and NJsonSchema, each given the same spec, must agree on every body of a
/// corpus built from that spec: accept the same ones and refuse the same ones.
/// </summary>
[Trait("Speed", "fast")]
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private const int MinimumCorpus = 2000;
    private const int MinimumPerVerdict = 20;

    [Fact]
    public void Generated_reader_and_NJsonSchema_agree_on_every_payload()
    {
        var corpus = Corpus.Payloads;
        var oracle = NJsonSchemaOracle.Instance;
        var disagreements = new StringBuilder();
        var tally = new SortedDictionary<string, (int Accepted, int Rejected)>();
        var disagreeing = 0;

        foreach (var payload in corpus)
        {
            var folded = Json.Text(Json.FoldType(System.Text.Json.Nodes.JsonNode.Parse(payload.Json)));
            var theirs = oracle.Validate(folded);
            var ours = CreateSourceRequest.Parse(Json.Utf8(payload.Json));
            var (accepted, rejected) = tally.GetValueOrDefault(payload.Shape);
            tally[payload.Shape] = ours.IsValid ? (accepted + 1, rejected) : (accepted, rejected + 1);
            if (ours.IsValid == (theirs.Count == 0)) continue;
            if (++disagreeing <= 25)
                disagreements.AppendLine($"""
                    [{payload.Shape}] {payload.Label}
                      payload:    {payload.Json}
                      generated:  {(ours.IsValid ? "accepted" : "refused: " + Json.Describe(ours.Errors))}
                      NJsonSchema: {(theirs.Count == 0 ? "accepted" : "refused: " + string.Join("; ", theirs))}
                    """);
        }

        output.WriteLine($"{corpus.Count} payloads (seed {PayloadGenerator.Seed}):");
        foreach (var (shape, (accepted, rejected)) in tally)
            output.WriteLine($"  {(shape == "" ? "(no shape)" : shape),-12} accepted {accepted,5}  rejected {rejected,5}");
        Assert.True(disagreeing == 0, $"{disagreeing} of {corpus.Count} payloads judged differently:\n{disagreements}");
        Assert.True(corpus.Count >= MinimumCorpus, $"only {corpus.Count} payloads");
        foreach (var (shape, _) in SchemaFacts.Shapes(SpecDocument.Instance, "CreateSourceRequest"))
        {
            var (accepted, rejected) = tally.GetValueOrDefault(shape);
            Assert.True(accepted >= MinimumPerVerdict && rejected >= MinimumPerVerdict,
                $"{shape}: {accepted} accepted and {rejected} rejected; want at least {MinimumPerVerdict} of each");
        }
    }
}
