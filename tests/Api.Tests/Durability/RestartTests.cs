using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;

namespace Sources.Api.Tests.Durability;

/// <summary>Embedded mode keeps what it acknowledged: across a graceful restart and across kill -9.</summary>
public sealed class RestartTests(EmbeddedService service) : IClassFixture<EmbeddedService>
{
    private SourcesClient Api => service.Client;

    [Fact]
    public async Task Sources_survive_a_restart_on_the_same_data_folder()
    {
        var ids = await SourceAssertions.CreateEveryType(Api, Api);
        var patched = ids["POSTGRES"];
        (await Api.Patch(patched, new JsonObject { ["account_name"] = "Patched before restart" })).Expect(200);
        var deleted = ids["FILE"];
        (await Api.Delete(deleted)).Expect(204);
        var before = await ReadAll(ids.Values.Where(id => id != deleted));

        await service.Node.RestartAsync();

        Assert.Equal(before, await ReadAll(before.Keys));
        Assert.Equal("Patched before restart", (await Api.Get(patched)).View().AccountName);
        (await Api.Get(deleted)).Problem(404);
        var listed = (await Api.ListAll()).Select(v => v.Id).ToList();
        Assert.Superset(before.Keys.ToHashSet(), listed.ToHashSet());
        Assert.DoesNotContain(deleted, listed);
        // A patch unseals the stored secrets and seals them again: the master key came back too.
        foreach (var id in before.Keys)
            (await Api.Patch(id, new JsonObject { ["account_name"] = "Patched after restart" })).Expect(200);
    }

    [Fact]
    public async Task A_create_that_answered_201_survives_a_kill_9_right_after()
    {
        var idempotencyKey = Guid.NewGuid().ToString();
        var body = SourceBodies.Valid("SNOWFLAKE", "kill-9-password");
        var created = await Api.Create(body, idempotencyKey);
        await service.Node.KillAsync();
        var id = created.CreatedId();

        await service.Node.StartAsync();

        SourceAssertions.ShowsBody((await Api.Get(id)).View(), body, id);
        Assert.Contains(id, (await Api.ListAll()).Select(v => v.Id));
        Assert.Equal(created.Text, (await Api.Create(body, idempotencyKey)).Expect(201).Text);
        (await Api.Patch(id, new JsonObject { ["warehouse"] = "OTHER_WH" })).Expect(200);
    }

    /// <summary>What must not change across a restart, by id: everything but the health fields.</summary>
    private async Task<Dictionary<long, string>> ReadAll(IEnumerable<long> ids)
    {
        var views = new Dictionary<long, string>();
        foreach (var id in ids)
        {
            var view = (await Api.Get(id)).View();
            views[id] = Stable(view);
        }
        return views;
    }

    private static string Stable(SourceView view) =>
        $"{view.Id}|{view.Type}|{view.AccountName}|{view.Settings.GetRawText()}|{string.Join(',', view.SecretsSet)}|{view.CreatedAt}|{view.UpdatedAt}";
}
