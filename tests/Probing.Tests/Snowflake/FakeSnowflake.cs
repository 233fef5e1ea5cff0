using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sources.Probing.Tests.Support;

namespace Sources.Probing.Tests.Snowflake;

/// <summary>
/// A loopback Snowflake account for the prober's HTTP exchange: the SQL API with key-pair JWTs
/// (checked as Snowflake documents, against the keys "registered" here with ALTER USER), the
/// drivers' password login and query endpoints, and answers in Snowflake's documented shapes.
/// With <see cref="StillRunningPolls"/>, each statement is first answered 202 (still running)
/// and its result given at its statementStatusUrl after that many more 202s.
/// </summary>
public sealed partial class FakeSnowflake : IAsyncDisposable
{
    public const string Version = "9.3.1";

    private readonly ConcurrentDictionary<string, string> _keys = new();
    private readonly ConcurrentDictionary<string, string> _passwords = new();
    private readonly ConcurrentDictionary<string, bool> _sessions = new();
    private readonly ConcurrentDictionary<string, (JsonObject Result, int Pending)> _running = new();
    private LoopbackWeb _web = null!;

    /// <summary>The account as JWTs must name it (upper case, no region).</summary>
    public string Account { get; init; } = "XY12345";
    public string[] Databases { get; init; } = ["ANALYTICS", "SNOWFLAKE"];
    public (string Database, string Schema)[] Schemas { get; init; } = [("ANALYTICS", "PUBLIC"), ("ANALYTICS", "SALES")];
    public string[] Warehouses { get; init; } = ["COMPUTE_WH"];

    /// <summary>The tables SHOW OBJECTS lists, and the columns SHOW COLUMNS lists (type as Snowflake's JSON, primary key or not).</summary>
    public (string Database, string Schema, string Name, string Kind)[] Objects { get; init; } = [("ANALYTICS", "PUBLIC", "ORDERS", "TABLE")];

    public (string Database, string Schema, string Table, string Name, string DataType, bool PrimaryKey)[] ColumnsOf { get; init; } =
    [
        ("ANALYTICS", "PUBLIC", "ORDERS", "ID", """{"type":"FIXED","precision":38,"scale":0,"nullable":false}""", true),
        ("ANALYTICS", "PUBLIC", "ORDERS", "NOTE", """{"type":"TEXT","length":16777216,"byteLength":16777216,"nullable":true,"fixed":false}""", false),
    ];

    /// <summary>Every statement received, in order.</summary>
    public ConcurrentQueue<string> Statements { get; } = new();

    /// <summary>How many polls of a statement's status answer 202 before its result; -1 answers at once.</summary>
    public int StillRunningPolls { get; init; } = -1;

    /// <summary>Polls of statementStatusUrl received.</summary>
    public int Polls => Volatile.Read(ref _polls);

    private int _polls;

    /// <summary>Every X-Snowflake-Authorization-Token-Type header the SQL API saw.</summary>
    public ConcurrentQueue<string> TokenTypes { get; } = new();

    public string BaseUrl => _web.BaseUrl;

    public static async Task<FakeSnowflake> Start(FakeSnowflake snowflake)
    {
        snowflake._web = await LoopbackWeb.Start(app =>
        {
            app.MapPost("/api/v2/statements", (Func<HttpContext, Task<IResult>>)snowflake.Statement);
            app.MapGet("/api/v2/statements/{handle}", (Func<string, IResult>)snowflake.Status);
            app.MapPost("/session/v1/login-request", (Func<HttpContext, Task<IResult>>)snowflake.Login);
            app.MapPost("/queries/v1/query-request", (Func<HttpContext, Task<IResult>>)snowflake.DriverQuery);
        });
        return snowflake;
    }

    /// <summary>What ALTER USER ... SET RSA_PUBLIC_KEY does.</summary>
    public void RegisterKey(string user, string publicKey) => _keys[user.ToUpperInvariant()] = publicKey;

    public void SetPassword(string user, string password) => _passwords[user.ToUpperInvariant()] = password;

    private async Task<IResult> Statement(HttpContext context)
    {
        TokenTypes.Enqueue(context.Request.Headers["X-Snowflake-Authorization-Token-Type"].ToString());
        var authorization = context.Request.Headers.Authorization.ToString();
        var jwt = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : "";
        if (context.Request.Headers["X-Snowflake-Authorization-Token-Type"] != "KEYPAIR_JWT"
            || !SnowflakeJwtCheck.Accepts(jwt, Account, user => _keys.GetValueOrDefault(user), DateTimeOffset.UtcNow))
            return Results.Json(new JsonObject { ["code"] = "390144", ["message"] = "JWT token is invalid." }, statusCode: 401);

        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        if (Run(body["statement"]!.GetValue<string>()) is not { } rows)
            return Results.Json(new JsonObject { ["code"] = "001003", ["message"] = "SQL compilation error.", ["sqlState"] = "42000" }, statusCode: 422);
        var handle = Guid.NewGuid().ToString();
        var result = new JsonObject
        {
            ["resultSetMetaData"] = new JsonObject
            {
                ["numRows"] = rows.Data.Count,
                ["format"] = "jsonv2",
                ["rowType"] = RowType(rows.Columns),
            },
            ["data"] = rows.Data,
            ["code"] = "090001",
            ["statementStatusUrl"] = $"/api/v2/statements/{handle}",
            ["sqlState"] = "00000",
            ["statementHandle"] = handle,
            ["message"] = "Statement executed successfully.",
        };
        if (StillRunningPolls < 0)
            return Results.Json(result);
        _running[handle] = (result, StillRunningPolls);
        return StillRunning(handle);
    }

    private IResult Status(string handle)
    {
        Interlocked.Increment(ref _polls);
        if (!_running.TryGetValue(handle, out var running))
            return Results.Json(new JsonObject { ["code"] = "000709", ["message"] = "Statement not found." }, statusCode: 404);
        if (running.Pending == 0)
            return Results.Json(running.Result);
        _running[handle] = (running.Result, running.Pending - 1);
        return StillRunning(handle);
    }

    private static IResult StillRunning(string handle) => Results.Json(new JsonObject
    {
        ["code"] = "333334",
        ["message"] = "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
        ["statementHandle"] = handle,
        ["statementStatusUrl"] = $"/api/v2/statements/{handle}",
    }, statusCode: 202);

    private async Task<IResult> Login(HttpContext context)
    {
        var data = (await JsonNode.ParseAsync(context.Request.Body))!["data"]!;
        var user = data["LOGIN_NAME"]!.GetValue<string>().ToUpperInvariant();
        if (data["ACCOUNT_NAME"]?.GetValue<string>() != Account
            || _passwords.GetValueOrDefault(user) != data["PASSWORD"]?.GetValue<string>())
            return Results.Json(new JsonObject { ["data"] = null, ["code"] = "390100", ["message"] = "Incorrect username or password was specified.", ["success"] = false });
        var token = "ver:1-hint:1-" + Guid.NewGuid().ToString("N");
        _sessions[token] = true;
        return Results.Json(new JsonObject
        {
            ["data"] = new JsonObject { ["masterToken"] = "master-" + token, ["token"] = token, ["validityInSeconds"] = 3600, ["serverVersion"] = Version },
            ["code"] = null,
            ["message"] = null,
            ["success"] = true,
        });
    }

    private async Task<IResult> DriverQuery(HttpContext context)
    {
        var match = SessionToken().Match(context.Request.Headers.Authorization.ToString());
        if (!match.Success || !_sessions.ContainsKey(match.Groups[1].Value))
            return Results.Json(new JsonObject { ["data"] = null, ["code"] = "390104", ["message"] = "Authentication token is invalid.", ["success"] = false }, statusCode: 401);
        var sql = (await JsonNode.ParseAsync(context.Request.Body))!["sqlText"]!.GetValue<string>();
        if (Run(sql) is not { } rows)
            return Results.Json(new JsonObject { ["data"] = new JsonObject { ["sqlState"] = "42000" }, ["code"] = "001003", ["message"] = "SQL compilation error.", ["success"] = false });
        return Results.Json(new JsonObject
        {
            ["data"] = new JsonObject { ["rowtype"] = RowType(rows.Columns), ["rowset"] = rows.Data },
            ["code"] = null,
            ["message"] = null,
            ["success"] = true,
        });
    }

    private sealed record Rows(string[] Columns, JsonArray Data);

    /// <summary>The few statements a probe runs, answered from this account's catalog.</summary>
    private Rows? Run(string sql)
    {
        Statements.Enqueue(sql);
        if (sql == "SHOW OBJECTS IN ACCOUNT LIMIT 1000")
            return new(["created_on", "name", "database_name", "schema_name", "kind"], Table(Objects.Select(o => new[] { "2026-01-01", o.Name, o.Database, o.Schema, o.Kind })));
        if (sql == "SHOW COLUMNS IN ACCOUNT")
            return new(["table_name", "schema_name", "column_name", "data_type", "null?", "default", "kind", "expression", "comment", "database_name", "autoincrement"],
                Table(ColumnsOf.Select(c => new[] { c.Table, c.Schema, c.Name, c.DataType, "", "", "COLUMN", "", "", c.Database, "" })));
        if (sql == "SHOW PRIMARY KEYS IN ACCOUNT")
            return new(["created_on", "database_name", "schema_name", "table_name", "column_name", "key_sequence", "constraint_name"],
                Table(ColumnsOf.Where(c => c.PrimaryKey).Select((c, i) => new[] { "2026-01-01", c.Database, c.Schema, c.Table, c.Name, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "PK" })));
        if (sql == "SELECT CURRENT_VERSION()")
            return new(["CURRENT_VERSION()"], Table([[Version]]));
        if (sql == "SHOW DATABASES")
            return new(["created_on", "name", "is_default"], Table(Databases.Select(d => new[] { "2026-01-01", d, "N" })));
        if (sql == "SHOW SCHEMAS IN ACCOUNT")
            return new(["created_on", "name", "is_default", "is_current", "database_name"], Table(Schemas.Select(s => new[] { "2026-01-01", s.Schema, "N", "N", s.Database })));
        var like = ShowWarehousesLike().Match(sql);
        if (like.Success)
        {
            var name = like.Groups[1].Value.Replace("''", "'").Replace("\\_", "_").Replace("\\%", "%").Replace("\\\\", "\\");
            return new(["name", "state"], Table(Warehouses.Where(w => w.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(w => new[] { w, "SUSPENDED" })));
        }
        return null;
    }

    private static JsonArray RowType(string[] columns) =>
        new(columns.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["type"] = "text", ["nullable"] = true }).ToArray());

    private static JsonArray Table(IEnumerable<string[]> rows) =>
        new(rows.Select(r => (JsonNode)new JsonArray(r.Select(c => (JsonNode)c).ToArray())).ToArray());

    [GeneratedRegex("^Snowflake Token=\"([^\"]+)\"$")]
    private static partial Regex SessionToken();

    [GeneratedRegex(@"^SHOW WAREHOUSES LIKE '((?:[^']|'')*)'$")]
    private static partial Regex ShowWarehousesLike();

    public ValueTask DisposeAsync() => _web.DisposeAsync();
}
