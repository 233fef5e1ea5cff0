using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;

namespace Sources.Api.Tests.Secrets;

/// <summary>
/// Plants a canary in every secret (writeOnly) field of every type and drives it down every route:
/// create, idempotent replay, read, list, patch, rotation, an immediate check, refusals, delete.
/// </summary>
public static class CanaryExercise
{
    /// <summary>The secret fields, per type, that the generated contract marks writeOnly.</summary>
    public static IEnumerable<(string Type, string Field)> SecretFields =>
        SourceBodies.Types.SelectMany(type => CreateSourceRequest.WriteOnlyPropertiesFor(type).Select(name => (type, name)));

    /// <summary>Every writeOnly field of every type is set, holding the canary, in some body.</summary>
    public static void AssertEverySecretFieldIsPlanted(Canary canary)
    {
        Assert.NotEmpty(SecretFields);
        foreach (var (type, field) in SecretFields)
            Assert.Contains(SourceBodies.WithEverySecret(type, canary.Value),
                body => body[field] is { } value && value.ToJsonString().Contains(canary.Value, StringComparison.Ordinal));
    }

    /// <summary>The canary is in no answer the clients received, no node's log and nothing storage holds.</summary>
    public static void AssertFoundNowhere(Canary canary, Transcript transcript, IEnumerable<IServiceNode> nodes, IReadOnlyDictionary<string, byte[]> storage)
    {
        foreach (var response in transcript.Responses)
            canary.AssertAbsent($"the answer to {response.Request}", response.Text);
        foreach (var node in nodes)
            canary.AssertAbsent($"{node.Name}'s log", node.Logs);
        Assert.Contains(storage, stored => stored.Value.Length > 0);
        foreach (var (where, bytes) in storage)
            canary.AssertAbsent(where, bytes);
    }

    public static async Task PlantEverywhere(SourcesClient api, Canary canary)
    {
        AssertEverySecretFieldIsPlanted(canary);
        foreach (var type in SourceBodies.Types)
        {
            foreach (var body in SourceBodies.WithEverySecret(type, canary.Value))
                await Exercise(api, body);
            await Refusals(api, type, canary);
        }
        Assert.NotEmpty(await api.ListAll(limit: 3));
    }

    private static async Task Exercise(SourcesClient api, JsonObject body)
    {
        var idempotencyKey = Guid.NewGuid().ToString();
        var id = (await api.Create(body, idempotencyKey)).CreatedId();
        (await api.Create(body, idempotencyKey)).Expect(201);
        (await api.Get(id)).Expect(200);
        (await api.Patch(id, new JsonObject { ["account_name"] = "Renamed" })).Expect(200);
        (await api.UpdateConfig(id, body)).Expect(200);
        // Runs a check now (or joins the one running) and answers its result, message included.
        (await api.Send(HttpMethod.Post, $"{SourcesClient.Root}{id}/test/")).Expect(200);

        var doomed = await api.CreateOk(body);
        (await api.Delete(doomed)).Expect(204);
    }

    /// <summary>Bodies with the canary in them that the service refuses; the refusal must not quote it.</summary>
    private static async Task Refusals(SourcesClient api, string type, Canary canary)
    {
        var withUnknownField = SourceBodies.WithEverySecret(type, canary.Value)[0];
        withUnknownField["no_such_field"] = true;
        (await api.Create(withUnknownField)).Problem(400);

        foreach (var field in CreateSourceRequest.WriteOnlyPropertiesFor(type))
        {
            // The bare canary breaks the field's pattern or shape where it has one; otherwise it is a valid value.
            var bare = SourceBodies.WithEverySecret(type, canary.Value).First(b => b.ContainsKey(field));
            bare[field] = $"{canary.Value} ";
            var answer = await api.Create(bare);
            Assert.True(answer.Status is 201 or 400, $"unexpected answer: {answer}");
        }

        var id = await api.CreateOk(SourceBodies.WithEverySecret(type, canary.Value)[0]);
        foreach (var field in CreateSourceRequest.WriteOnlyPropertiesFor(type))
            (await api.Patch(id, new JsonObject { [field] = canary.Value })).Problem(400);
        (await api.UpdateConfig(id, SourceBodies.Valid(type == "MYSQL" ? "POSTGRES" : "MYSQL", canary.Value))).Problem(400);
    }
}
