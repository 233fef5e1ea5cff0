using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sources.Api.Tests.Infrastructure;
using Sources.TestServers;
using Xunit.Abstractions;
using static Sources.Api.Tests.Clients.TypeScriptCheck;

namespace Sources.Api.Tests.Clients;

/// <summary>
/// A TypeScript client generated from the spec the service serves (openapi-typescript) types a
/// create of every type, refuses a body with a field no shape has, and types every answer the
/// service gives, each under <c>tsc --strict</c>. The answers are the service's own, so a field it
/// sends that the spec does not declare fails the check.
/// </summary>
[Collection(InProcessCollection.Name)]
public sealed partial class TypeScriptClientTests(InProcessService service, ITestOutputHelper output)
{
    private const string Sources = SourcesClient.Root;
    private const string One = SourcesClient.Root + "{id}/";
    private const string Problem = "application/problem+json";

    /// <summary>Operations whose answers carry no JSON body to type.</summary>
    private static readonly string[] PlainAnswers = ["health_live", "health_ready"];

    private SourcesClient Api => service.Client;
    private readonly HashSet<string> _answered = [];
    private readonly TypeScriptCheck _check = new("sources");

    [Fact]
    public async Task A_client_generated_from_the_served_spec_types_every_create_and_every_answer()
    {
        var spec = (await Api.WithKey(null).Send(HttpMethod.Get, "/openapi.yaml")).Expect(200).Text;

        await Creates();
        await AnswersOfOneSource();
        await AnswersOfTheRest();

        var operations = OperationId().Matches(spec).Select(m => m.Groups[1].Value).Except(PlainAnswers).Order().ToList();
        Assert.Equal(operations, _answered.Order());

        var folder = Directory.CreateTempSubdirectory("sources-ts-").FullName;
        try
        {
            var specFile = Path.Combine(folder, "sources.openapi.yaml");
            await File.WriteAllTextAsync(specFile, spec);
            var generated = await TypeScriptTools.Generate(specFile, Path.Combine(folder, "sources.d.ts"));
            Assert.True(generated.ExitCode == 0, generated.Output);
            var checkFile = Path.Combine(folder, "check.ts");
            await File.WriteAllTextAsync(checkFile, _check.Text());

            var checkedOut = await TypeScriptTools.Check(checkFile);

            output.WriteLine($"{_check.Fits} values typed, {_check.Misfits} refused, {_answered.Count} operations answered");
            Assert.True(checkedOut.ExitCode == 0, $"tsc --strict refused the generated client's values:\n{checkedOut.Output}\n{_check.Text()}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every type's valid bodies fit the create body, and each is created; a field no shape has does not fit.</summary>
    private async Task Creates()
    {
        foreach (var type in SourceBodies.Types)
        {
            foreach (var body in SourceBodies.WithEverySecret(type, "s3cret"))
            {
                _check.Fit($"create {type}", RequestBody(Sources, "post"), body);
                _check.Fit($"create {type} as its own shape", Schema(ShapeOf(type)), body);
                Answer("sources_create", Sources, "post", await Api.Create(body), 201);
            }
            var stray = SourceBodies.Valid(type);
            stray["no_such_field"] = true;
            _check.Misfit($"create {type} with a field no shape has", RequestBody(Sources, "post"), stray);
            var wrongType = SourceBodies.Valid(type);
            wrongType["account_name"] = 42;
            _check.Misfit($"create {type} with a number for a name", RequestBody(Sources, "post"), wrongType);
        }
        _check.Misfit("create of no known type", RequestBody(Sources, "post"), new JsonObject { ["type"] = "ORACLE" });
    }

    /// <summary>One source through its life: read, listed, patched, changed, checked, deleted.</summary>
    private async Task AnswersOfOneSource()
    {
        var id = (await Api.Create(SourceBodies.Valid("MYSQL"))).CreatedId();
        await Api.WhenChecked(id);
        Answer("sources_retrieve", One, "get", await Api.Get(id), 200);
        Answer("sources_list", Sources, "get", await Api.List("?limit=100"), 200);
        var patch = new JsonObject { ["account_name"] = "Renamed" };
        _check.Fit("a patch", RequestBody(One, "patch"), patch);
        Answer("sources_partial_update", One, "patch", await Api.Patch(id, patch), 200);
        var config = SourceBodies.Valid("MYSQL");
        config["hostname"] = "mysql2.example.com";
        _check.Fit("an update-config", RequestBody(One + "update-config/", "patch"), config);
        Answer("sources_update_config", One + "update-config/", "patch", await Api.UpdateConfig(id, config), 200);
        Answer("sources_test", One + "test/", "post", await Api.Test(id), 200);
        // Its host does not resolve, so its last check listed nothing: the schema answers a problem.
        Answer("sources_schema", One + "schema/", "get", await Api.Send(HttpMethod.Get, $"{SourcesClient.Root}{id}/schema/"), 404, Problem);
        (await Api.Delete(id)).Expect(204);
        _answered.Add("sources_destroy");
        Answer("sources_retrieve", One, "get", await Api.Get(id), 404, Problem);
    }

    private async Task AnswersOfTheRest()
    {
        var trial = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = FreePort.Next(),
            ["username"] = "u", ["password"] = "p", ["database_name"] = "d",
        };
        _check.Fit("a trial", RequestBody(Sources + "test/", "post"), trial);
        Answer("sources_test_settings", Sources + "test/", "post", await Api.Send(HttpMethod.Post, Sources + "test/", SourcesClient.Json(trial)), 200);

        var keyPair = new JsonObject { ["user"] = "LOADER" };
        _check.Fit("a key-pair request", RequestBody(Sources + "snowflake/key-pairs/", "post"), keyPair);
        Answer("sources_snowflake_key_pair", Sources + "snowflake/key-pairs/", "post",
            await Api.Send(HttpMethod.Post, Sources + "snowflake/key-pairs/", SourcesClient.Json(keyPair)), 201);

        var broken = new JsonObject { ["type"] = "POSTGRES", ["hostnme"] = "db.example.com", ["port"] = "5432" };
        Answer("sources_create", Sources, "post", await Api.Create(broken), 400, Problem);
        Answer("sources_list", Sources, "get", await Api.WithKey(null).List(), 401, Problem);
        var key = $"ts-{Guid.NewGuid():N}";
        Answer("sources_create", Sources, "post", await Api.Create(SourceBodies.Valid("MCP"), key), 201);
        Answer("sources_create", Sources, "post", await Api.Create(SourceBodies.Valid("FILE"), key), 409, Problem);
    }

    private void Answer(string operation, string path, string method, ApiResponse response, int status, string media = "application/json")
    {
        response.Expect(status);
        Assert.Equal(media, response.ContentType);
        _answered.Add(operation);
        _check.Fit($"{method} {path} → {status}", TypeScriptCheck.Answer(path, method, status, media), JsonNode.Parse(response.Body)!);
    }

    private static string ShapeOf(string type) => Contracts.CreateSourceRequest.TypeFor(type)!.Name;

    [GeneratedRegex(@"operationId:\s*(\w+)")]
    private static partial Regex OperationId();
}
