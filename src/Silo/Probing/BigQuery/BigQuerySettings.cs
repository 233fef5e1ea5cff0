namespace Sources.Silo.Probing.BigQuery;

/// <summary>"Sources:BigQuery": where tokens and datasets are asked for. Tests point both at loopback.</summary>
public sealed class BigQuerySettings
{
    public const string GoogleTokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>The BigQuery REST API root, ending in /bigquery/v2/.</summary>
    public string BaseUrl { get; set; } = "https://bigquery.googleapis.com/bigquery/v2/";

    /// <summary>
    /// Token endpoints a key's token_uri may name. A key is user input: without this list its
    /// token_uri could send the signed assertion, and our request, anywhere.
    /// </summary>
    public List<string> AllowedTokenUris { get; set; } = [GoogleTokenUri];
}
