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

        var tables = await StorageContents.PostgresTables(cluster.ConnectionString);
        CanaryExercise.AssertFoundNowhere(canary, cluster.Transcript, cluster.Nodes, tables);
    }
}
