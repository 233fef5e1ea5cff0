using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Secrets;

/// <summary>In PostgreSQL mode a secret never reaches a response, either node's log or any row of any table in plain.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresCanaryTests(PostgresCluster cluster)
{
    [Fact]
    public async Task A_canary_in_every_secret_field_appears_in_no_response_log_or_table_row()
    {
        var canary = new Canary();

        await CanaryExercise.PlantEverywhere(cluster.ClientA, canary);
        await CanaryExercise.PlantEverywhere(cluster.ClientB, canary);

        foreach (var response in cluster.Transcript.Responses)
            canary.AssertAbsent($"the answer to {response.Request}", response.Text);
        foreach (var node in cluster.Nodes)
            canary.AssertAbsent($"{node.Name}'s log", node.Logs);
        var tables = await StorageContents.PostgresTables(cluster.ConnectionString);
        Assert.Contains(tables, t => t.Value.Length > 0);
        foreach (var (table, rows) in tables)
            canary.AssertAbsent($"table {table}", rows);
    }

    [Fact]
    public void The_canary_is_found_in_each_form_it_is_looked_for_in()
    {
        var canary = new Canary();
        var plain = System.Text.Encoding.ASCII.GetBytes($"xx{canary.Value}yy");

        foreach (var prefix in new[] { "", "a", "ab" })
        {
            var encoded = Convert.ToBase64String([.. System.Text.Encoding.ASCII.GetBytes(prefix), .. plain]);
            Assert.Throws<Xunit.Sdk.FalseException>(() => canary.AssertAbsent("base64", encoded));
        }
        Assert.Throws<Xunit.Sdk.FalseException>(() => canary.AssertAbsent("hex", Convert.ToHexString(plain)));
        Assert.Throws<Xunit.Sdk.FalseException>(() => canary.AssertAbsent("bytes", plain));
        canary.AssertAbsent("another canary", new Canary().Value);
    }
}
