using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Sources.Silo.Probing.MongoDb;

/// <summary>
/// The fields of a collection, from a few of its documents. MongoDB has no catalog of fields, so
/// each collection is asked once (the first <see cref="MaxCollections"/> of them): an aggregation
/// that takes <see cref="Documents"/> documents and answers only each field's name and BSON type,
/// worked out on the server, so a probe reads names, never the documents' values.
/// </summary>
public static class MongoSampling
{
    public const int Documents = 5;
    public const int MaxCollections = 100;
    public const int MaxFields = 200;

    /// <summary>The pipeline: per document, its first <see cref="MaxFields"/> fields as {k: name, t: $type}.</summary>
    public static BsonDocument[] Pipeline() =>
    [
        new("$limit", Documents),
        new("$project", new BsonDocument
        {
            { "_id", 0 },
            { "f", new BsonDocument("$slice", new BsonArray
                {
                    new BsonDocument("$map", new BsonDocument
                    {
                        { "input", new BsonDocument("$objectToArray", "$$ROOT") },
                        { "in", new BsonDocument { { "k", "$$this.k" }, { "t", new BsonDocument("$type", "$$this.v") } } },
                    }),
                    MaxFields,
                })
            },
        }),
    ];

    public static async Task<JsonObject> Sample(IMongoDatabase database, string collection, CancellationToken cancellation)
    {
        var answers = await database.GetCollection<BsonDocument>(collection)
            .Aggregate<BsonDocument>(Pipeline(), cancellationToken: cancellation)
            .ToListAsync(cancellation);
        return Describe(collection, answers);
    }

    /// <summary>A collection's entry from the pipeline's answers: each field once, in the order first seen, with every type it held.</summary>
    public static JsonObject Describe(string collection, IReadOnlyList<BsonDocument> answers)
    {
        var fields = new List<(string Name, List<string> Types)>();
        foreach (var answer in answers)
            foreach (var field in answer.GetValue("f", new BsonArray()).AsBsonArray.OfType<BsonDocument>())
            {
                if (!field.TryGetValue("k", out var k) || !k.IsString || !field.TryGetValue("t", out var t) || !t.IsString) continue;
                var found = fields.FindIndex(f => f.Name == k.AsString);
                if (found < 0)
                {
                    if (fields.Count == MaxFields) continue;
                    fields.Add((k.AsString, [t.AsString]));
                }
                else if (!fields[found].Types.Contains(t.AsString))
                {
                    fields[found].Types.Add(t.AsString);
                }
            }
        return Entry(collection, answers.Count, fields.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["types"] = new JsonArray(f.Types.Select(x => (JsonNode)x).ToArray()),
        }));
    }

    /// <summary>A collection listed but not sampled (past <see cref="MaxCollections"/>).</summary>
    public static JsonObject Unsampled(string collection) => Entry(collection, 0, []);

    private static JsonObject Entry(string collection, int sampled, IEnumerable<JsonNode> fields) => new()
    {
        ["name"] = collection,
        ["sampled"] = sampled,
        ["fields"] = new JsonArray(fields.ToArray()),
    };
}
