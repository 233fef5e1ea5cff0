using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sources.Probing.Tests.Support;

namespace Sources.Probing.Tests.BigQuery;

/// <summary>
/// Google's token endpoint and the BigQuery datasets list on loopback. The token endpoint does
/// what Google documents for the JWT-bearer grant: the assertion must be RS256, signed by the
/// service account's registered key, issued by its client_email, for Google's token audience, with a
/// scope, and live at most an hour; else 400 invalid_grant. BigQuery answers only its tokens.
/// </summary>
public sealed class FakeGoogle : IAsyncDisposable
{
    /// <summary>The audience Google documents for the assertion, whichever host serves the endpoint.</summary>
    public const string Audience = "https://oauth2.googleapis.com/token";

    private readonly ConcurrentDictionary<string, string> _publicKeys = new();
    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private readonly ConcurrentDictionary<string, string[]> _projects = new();
    private LoopbackWeb _web = null!;

    public string TokenUri => _web.BaseUrl + "/token";
    public string BigQueryBase => _web.BaseUrl + "/bigquery/v2/";

    /// <summary>Every assertion the token endpoint was sent.</summary>
    public ConcurrentQueue<string> Assertions { get; } = new();

    public static async Task<FakeGoogle> Start()
    {
        var google = new FakeGoogle();
        google._web = await LoopbackWeb.Start(app =>
        {
            app.MapPost("/token", (Func<HttpContext, Task<IResult>>)google.Token);
            app.MapGet("/bigquery/v2/projects/{project}/datasets", (Func<HttpContext, string, IResult>)google.Datasets);
            app.MapPost("/bigquery/v2/projects/{project}/queries", (Func<HttpContext, string, Task<IResult>>)google.Query);
        });
        return google;
    }

    /// <summary>The service account exists with this public key (base64 SPKI).</summary>
    public void RegisterAccount(string clientEmail, string publicKey) => _publicKeys[clientEmail] = publicKey;

    public void AddProject(string project, params string[] datasets) => _projects[project] = datasets;

    /// <summary>The rows jobs.query answers (dataset, table, table type, column, type, nullable "true"/"false"); null answers 403.</summary>
    public List<string[]>? ColumnRows { get; set; } = [];

    /// <summary>Every jobs.query body received.</summary>
    public ConcurrentQueue<JsonNode> Queries { get; } = new();

    private async Task<IResult> Query(HttpContext context, string project)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        Queries.Enqueue(body);
        if (ColumnRows is not { } rows)
            return Error(403, "PERMISSION_DENIED", "Access Denied: User does not have bigquery.jobs.create permission.");
        return Results.Json(new JsonObject
        {
            ["kind"] = "bigquery#queryResponse",
            ["jobComplete"] = true,
            ["rows"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["f"] = new JsonArray(r.Select(v => (JsonNode)new JsonObject { ["v"] = v }).ToArray()),
            }).ToArray()),
        });
    }

    private async Task<IResult> Token(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var assertion = form["assertion"].ToString();
        Assertions.Enqueue(assertion);
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || !Accepts(assertion))
            return Results.Json(new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "Invalid JWT Signature." }, statusCode: 400);
        var token = "ya29." + Guid.NewGuid().ToString("N");
        _tokens[token] = true;
        return Results.Json(new JsonObject { ["access_token"] = token, ["expires_in"] = 3599, ["token_type"] = "Bearer" });
    }

    private bool Accepts(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3) return false;
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        if (header["alg"]?.GetValue<string>() != "RS256") return false;
        if (claims["iss"]?.GetValue<string>() is not { } issuer || !_publicKeys.TryGetValue(issuer, out var publicKey)) return false;
        if (claims["aud"]?.GetValue<string>() != Audience || string.IsNullOrEmpty(claims["scope"]?.GetValue<string>())) return false;
        var iat = claims["iat"]!.GetValue<long>();
        var exp = claims["exp"]!.GetValue<long>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (iat > now + 300 || exp <= now || exp - iat > 3600) return false;
        return VerifiesWith(assertion, publicKey);
    }

    /// <summary>Whether a JWT's RS256 signature verifies with a public key (base64 SPKI).</summary>
    public static bool VerifiesWith(string jwt, string publicKey)
    {
        var parts = jwt.Split('.');
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
        return rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private IResult Datasets(HttpContext context, string project)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(authorization[7..]))
            return Error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
        if (!_projects.TryGetValue(project, out var datasets))
            return Error(404, "NOT_FOUND", $"Not found: Project {project}");
        return Results.Json(new JsonObject
        {
            ["kind"] = "bigquery#datasetList",
            ["etag"] = "\"e\"",
            ["datasets"] = new JsonArray(datasets.Select(d => (JsonNode)new JsonObject
            {
                ["kind"] = "bigquery#dataset",
                ["id"] = $"{project}:{d}",
                ["datasetReference"] = new JsonObject { ["datasetId"] = d, ["projectId"] = project },
                ["location"] = "US",
            }).ToArray()),
        });
    }

    private static IResult Error(int status, string code, string message) => Results.Json(new JsonObject
    {
        ["error"] = new JsonObject { ["code"] = status, ["message"] = message, ["status"] = code },
    }, statusCode: status);

    public ValueTask DisposeAsync() => _web.DisposeAsync();
}
