using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Http;
using Sources.Silo.Probing.Http;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.BigQuery;

/// <summary>
/// BIGQUERY: trades the service-account key for an access token (a signed JWT assertion, by
/// Google.Apis.Auth), then lists the project's datasets over the REST API and, one query per
/// location, their tables and columns (<see cref="BigQueryColumns"/>). Both go through the
/// network policy, and the token endpoint must be one configuration allows.
/// </summary>
public sealed class BigQueryProber(NetworkPolicy network, BigQuerySettings bigQuery) : IProber
{
    private const string Scope = "https://www.googleapis.com/auth/bigquery.readonly";
    private const int MaxDatasets = 1000;

    public string Type => "BIGQUERY";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings) =>
        ServiceAccountKey.Parse(settings["service_account_key"], bigQuery).Problems;

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var key = ServiceAccountKey.Parse(settings["service_account_key"], bigQuery).Key!;
        var tokenHost = new Uri(key.TokenUri).Host;
        string token;
        try
        {
            token = await AccessToken(key, context.Budget, cancellation);
        }
        catch (TokenResponseException ex)
        {
            return TokenRefused(ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return HttpFailures.Classify(ex, tokenHost, cancellation);
        }

        var api = new Uri(bigQuery.BaseUrl);
        using var http = GuardedHttp.Answers(network, context.Budget);
        try
        {
            var datasets = await Datasets(http, api, key.ProjectId, token, cancellation);
            if (datasets.Failure is { } failure) return failure;
            var ids = datasets.Items.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            var selected = settings["selected_datasets"]?.AsArray().Select(d => d!.GetValue<string>()).ToList() ?? [];
            var warnings = selected.Where(s => !ids.Contains(s)).Select(s => $"The selected dataset '{s}' does not exist in project '{key.ProjectId}'.").ToArray();
            var listed = selected.Count > 0 ? selected.Where(ids.Contains).ToList() : datasets.Items.Select(d => d.Id).ToList();
            var tables = new List<Common.TableRow>();
            var columns = new List<Common.ColumnRow>();
            foreach (var location in datasets.Items.Where(d => listed.Contains(d.Id) && d.Location is not null).Select(d => d.Location!).Distinct().Order(StringComparer.Ordinal))
            {
                if (!BigQueryColumns.IsPlainName(key.ProjectId) || !BigQueryColumns.IsPlainName(location)) continue;
                var inLocation = datasets.Items.Where(d => d.Location == location && listed.Contains(d.Id)).Select(d => d.Id).ToList();
                var answer = await BigQueryColumns.Read(http, api, key.ProjectId, location, inLocation, token, context.Budget, cancellation);
                if (answer.FailedStatus is { } status)
                {
                    warnings = [.. warnings, $"The columns of the datasets in {location} could not be read (HTTP {status}): the service account needs to run queries (bigquery.jobs.create)."];
                    continue;
                }
                tables.AddRange(answer.Tables);
                columns.AddRange(answer.Columns);
            }
            var discovery = Common.DiscoveredTables.Discovery(
            [
                new("project", key.ProjectId),
                new("datasets", new JsonArray(datasets.Items.Select(d => (JsonNode)DatasetEntry(d)).ToArray())),
            ], tables.Take(Common.DiscoveryJson.MaxTables).ToList(), columns);
            return ProbeResult.Succeeded("BigQuery v2", discovery.ToJsonString(), warnings);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return HttpFailures.Classify(ex, api.Host, cancellation);
        }
        catch (JsonException)
        {
            return ProbeResult.Failed(ProbeOutcome.Error, $"'{api.Host}' did not answer like BigQuery.");
        }
    }

    private async Task<string> AccessToken(ServiceAccountKey key, TimeSpan budget, CancellationToken cancellation)
    {
        var credential = new ServiceAccountCredential(new ServiceAccountCredential.Initializer(key.ClientEmail, key.TokenUri)
        {
            ProjectId = key.ProjectId,
            KeyId = key.PrivateKeyId,
            Scopes = [Scope],
            HttpClientFactory = new GuardedGoogleHttp(network, budget),
            // The probe's deadline bounds the exchange; retries would only hide the failure.
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
        }.FromPrivateKey(key.PrivateKeyPem));
        await credential.RequestAccessTokenAsync(cancellation);
        return credential.Token.AccessToken;
    }

    private sealed record Dataset(string Id, string? Location);

    private static JsonObject DatasetEntry(Dataset dataset)
    {
        var entry = new JsonObject { ["id"] = dataset.Id };
        if (dataset.Location is not null) entry["location"] = dataset.Location;
        return entry;
    }

    private sealed record DatasetList(List<Dataset> Items, ProbeResult? Failure);

    /// <summary>Every dataset of the project, page by page, up to the discovery limit.</summary>
    private static async Task<DatasetList> Datasets(HttpClient http, Uri api, string project, string token, CancellationToken cancellation)
    {
        var items = new List<Dataset>();
        string? pageToken = null;
        do
        {
            var url = new Uri(api, $"projects/{Uri.EscapeDataString(project)}/datasets?all=false&maxResults=1000"
                + (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken)));
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellation);
            if (!response.IsSuccessStatusCode)
                return new DatasetList(items, ApiRefused(response, project, api.Host));
            var page = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellation));
            foreach (var dataset in page?["datasets"]?.AsArray() ?? [])
                if (dataset?["datasetReference"]?["datasetId"]?.GetValue<string>() is { } id)
                    items.Add(new Dataset(id, dataset["location"]?.GetValue<string>()));
            pageToken = page?["nextPageToken"]?.GetValue<string>();
        }
        while (pageToken is not null && items.Count < MaxDatasets);
        return new DatasetList(items.Take(MaxDatasets).ToList(), null);
    }

    private static ProbeResult ApiRefused(HttpResponseMessage response, string project, string host) => (int)response.StatusCode switch
    {
        401 => ProbeResult.Failed(ProbeOutcome.AuthFailed, "BigQuery refused the access token of the service account."),
        403 => ProbeResult.Failed(ProbeOutcome.PermissionDenied, $"The service account may not list the datasets of project '{project}'."),
        404 => ProbeResult.Failed(ProbeOutcome.NotFound, $"BigQuery has no project '{project}'."),
        _ => HttpFailures.FromStatus(response.StatusCode, host),
    };

    /// <summary>The token endpoint's OAuth error code says why it refused; its description may quote the key, so it is not shown.</summary>
    private static ProbeResult TokenRefused(TokenResponseException ex) => ex.Error?.Error switch
    {
        "invalid_grant" or "invalid_client" or "unauthorized_client" => ProbeResult.Failed(ProbeOutcome.AuthFailed,
            $"Google refused the service-account key ({ex.Error.Error}): it may have been deleted or disabled, or the server clock is off."),
        "access_denied" => ProbeResult.Failed(ProbeOutcome.PermissionDenied, "Google denied the service account a BigQuery token."),
        _ => ProbeResult.Failed(ProbeOutcome.Error, $"Google's token endpoint refused the key{(ex.StatusCode is { } status ? $" (HTTP {(int)status})" : "")}."),
    };
}
