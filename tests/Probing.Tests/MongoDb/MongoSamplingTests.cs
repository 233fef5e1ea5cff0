using MongoDB.Bson;
using Sources.Silo.Probing.MongoDb;
using DiscoveredCollection = Sources.Contracts.DiscoveredCollection;

namespace Sources.Probing.Tests.MongoDb;

/// <summary>
/// MONGODB's sampled fields. No MongoDB runs here: the pipeline is checked as the server would
/// read it, and the answer's reading on answers shaped as MongoDB gives them.
/// </summary>
public sealed class MongoSamplingTests
{
    [Fact]
    public void The_pipeline_reads_a_few_documents_and_only_their_field_names_and_types()
    {
        var pipeline = MongoSampling.Pipeline();

        Assert.Equal(new BsonDocument("$limit", MongoSampling.Documents), pipeline[0]);
        var project = pipeline[1]["$project"].AsBsonDocument;
        Assert.Equal(0, project["_id"].AsInt32);
        var slice = project["f"]["$slice"].AsBsonArray;
        Assert.Equal(MongoSampling.MaxFields, slice[1].AsInt32);
        var map = slice[0]["$map"].AsBsonDocument;
        Assert.Equal("$$ROOT", map["input"]["$objectToArray"].AsString);
        Assert.Equal(new BsonDocument { { "k", "$$this.k" }, { "t", new BsonDocument("$type", "$$this.v") } }, map["in"].AsBsonDocument);
    }

    [Fact]
    public void Fields_are_listed_once_in_the_order_first_seen_with_every_type_they_held()
    {
        static BsonDocument Answer(params (string K, string T)[] fields) =>
            new("f", new BsonArray(fields.Select(f => new BsonDocument { { "k", f.K }, { "t", f.T } })));

        var entry = MongoSampling.Describe("people", [Answer(("_id", "objectId"), ("name", "string")), Answer(("_id", "objectId"), ("name", "null"), ("age", "int"))]);

        var collection = DiscoveredCollection.Parse(System.Text.Encoding.UTF8.GetBytes(entry.ToJsonString())).Value!;
        Assert.Equal(("people", 2), (collection.Name, collection.Sampled));
        Assert.Equal(["_id: objectId", "name: string, null", "age: int"], collection.Fields.Select(f => $"{f.Name}: {string.Join(", ", f.Types)}"));
    }
}
