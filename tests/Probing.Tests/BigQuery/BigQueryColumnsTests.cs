using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.BigQuery;

namespace Sources.Probing.Tests.BigQuery;

/// <summary>BIGQUERY's tables and columns: one INFORMATION_SCHEMA query per location, against a loopback Google.</summary>
public sealed class BigQueryColumnsTests : IAsyncLifetime, IDisposable
{
    private const string Email = "reader@my-project.iam.gserviceaccount.com";
    private readonly RSA _key = RSA.Create(2048);
    private FakeGoogle _google = null!;

    public async Task InitializeAsync()
    {
        _google = await FakeGoogle.Start();
        _google.RegisterAccount(Email, Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo()));
        _google.AddProject("my-project", "events", "sales");
    }

    public async Task DisposeAsync() => await _google.DisposeAsync();

    public void Dispose() => _key.Dispose();

    private Task<ProbeResult> Probe(params string[] selected)
    {
        var settings = new JsonObject
        {
            ["type"] = "BIGQUERY",
            ["service_account_key"] = new JsonObject
            {
                ["type"] = "service_account", ["project_id"] = "my-project", ["private_key_id"] = "k1",
                ["private_key"] = _key.ExportPkcs8PrivateKeyPem(), ["client_email"] = Email, ["token_uri"] = _google.TokenUri,
            },
        };
        if (selected.Length > 0) settings["selected_datasets"] = new JsonArray(selected.Select(s => (JsonNode)s).ToArray());
        var prober = new BigQueryProber(Probes.Loopback, new BigQuerySettings { BaseUrl = _google.BigQueryBase, AllowedTokenUris = [BigQuerySettings.GoogleTokenUri, _google.TokenUri] });
        return prober.Probe(settings, Probes.Context, CancellationToken.None);
    }

    [Fact]
    public async Task The_columns_of_every_dataset_of_a_location_come_from_one_query()
    {
        _google.ColumnRows =
        [
            ["events", "clicks", "BASE TABLE", "id", "INT64", "false"],
            ["events", "clicks", "BASE TABLE", "page", "STRING", "true"],
            ["sales", "daily", "VIEW", "day", "DATE", "true"],
        ];

        var discovery = DiscoveryAnswers.Read<Sources.Contracts.RelationalDiscovery>(await Probe());

        Assert.Equal([("events", "clicks", "table"), ("sales", "daily", "view")], discovery.Tables.Select(t => (t.Schema, t.Name, t.Kind)));
        Assert.Equal([("id", "INT64", false, false), ("page", "STRING", true, false)], DiscoveryAnswers.Columns(discovery, "clicks"));
        var query = Assert.Single(_google.Queries);
        Assert.Contains("`my-project`.`region-us`.INFORMATION_SCHEMA.COLUMNS", query["query"]!.GetValue<string>());
        Assert.Equal("US", query["location"]!.GetValue<string>());
        Assert.Equal(["events", "sales"], query["queryParameters"]![0]!["parameterValue"]!["arrayValues"]!.AsArray().Select(v => v!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Only_the_selected_datasets_are_asked_for()
    {
        await Probe("sales");

        var query = Assert.Single(_google.Queries);
        Assert.Equal(["sales"], query["queryParameters"]![0]!["parameterValue"]!["arrayValues"]!.AsArray().Select(v => v!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_service_account_that_may_not_run_queries_lists_the_datasets_and_says_why_columns_are_missing()
    {
        _google.ColumnRows = null;

        var result = await Probe();

        var discovery = DiscoveryAnswers.Read<Sources.Contracts.RelationalDiscovery>(result);
        Assert.Equal(["events", "sales"], discovery.Datasets!.Select(d => d.Id));
        Assert.Empty(discovery.Tables);
        Assert.Contains(result.Warnings, w => w.Contains("bigquery.jobs.create"));
    }
}
