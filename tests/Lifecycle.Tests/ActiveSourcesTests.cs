using Sources.Silo.Grains.Sources;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// A get on the node holding a source's grain reads what the grain published, without a call:
/// it must read exactly what the grain would answer, as soon as a change is answered, and
/// nothing once the grain has let the source go.
/// </summary>
public sealed class ActiveSourcesTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("sources-active-").FullName;
    private SiloHost _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloHost.Start(_data, interval: TimeSpan.FromHours(1));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Every_answered_change_reads_back_at_once_as_the_grain_answers_it()
    {
        const long id = 41;
        var grain = _silo.Grains.GetGrain<ISourceGrain>(id);
        Assert.False(_silo.Active.TryGet(id, SiloHost.Account, out _), "published before it exists");

        // The probe each change starts may already have reported back, so right after a change
        // only the change itself is certain: its version and settings.
        var created = await grain.Register(SiloHost.Account, _silo.Postgres(id, port: 9, "u", "p", "db"));
        AssertShowsChange(id, created.Source!);

        // The first probe (of a closed port) reports back in a call of its own, which publishes
        // too; with no other check due for an hour, the source then stays as the grain answers it.
        var probed = await _silo.WaitFor(id, r => r.LastProbe is not null, "the first probe recorded");
        AssertReadsAsGrain(id, probed);

        var changed = await grain.Reconfigure(SiloHost.Account, probed.Version, _silo.Postgres(id, port: 9, "u", "p", "other_db"));
        Assert.Equal(ChangeOutcome.Done, changed.Outcome);
        AssertShowsChange(id, changed.Source!);
        Assert.Contains("other_db", changed.Source!.SettingsJson);

        // Another account's source is known here, and not theirs: the same answer as the grain's.
        Assert.True(_silo.Active.TryGet(id, "another account", out var foreign));
        Assert.Null(foreign);
        Assert.Null(await grain.Get("another account"));

        Assert.Equal(ChangeOutcome.Done, await grain.Delete(SiloHost.Account));
        Assert.False(_silo.Active.TryGet(id, SiloHost.Account, out _), "still published after the delete was answered");
    }

    [Fact]
    public async Task A_grain_that_deactivates_withdraws_its_source_and_the_next_activation_publishes_it_again()
    {
        const long id = 42;
        var grain = _silo.Grains.GetGrain<ISourceGrain>(id);
        await grain.Register(SiloHost.Account, _silo.Postgres(id, port: 9, "u", "p", "db"));
        var probed = await _silo.WaitFor(id, r => r.LastProbe is not null, "the first probe recorded");

        await _silo.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.False(_silo.Active.TryGet(id, SiloHost.Account, out _), "a deactivated grain left its source published");

        // A new activation loads its row; once it has answered, it publishes what it loaded.
        var reloaded = await grain.Get(SiloHost.Account);
        Assert.Equal(probed.Version, reloaded!.Version);
        AssertReadsAsGrain(id, reloaded);
    }

    private void AssertShowsChange(long id, SourceRecord answered)
    {
        Assert.True(_silo.Active.TryGet(id, SiloHost.Account, out var read), "not published on the grain's node");
        Assert.Equal(answered.Version, read!.Version);
        Assert.Equal(answered.SettingsJson, read.SettingsJson);
    }

    private void AssertReadsAsGrain(long id, SourceRecord answered)
    {
        Assert.True(_silo.Active.TryGet(id, SiloHost.Account, out var read), "not published on the grain's node");
        Assert.Equal(answered.Version, read!.Version);
        Assert.Equal(answered.SettingsJson, read.SettingsJson);
        Assert.Equal(answered.Status, read.Status);
        Assert.Equal(answered.LastProbe, read.LastProbe);
        Assert.Equal(answered.History.Length, read.History.Length);
        Assert.Equal(answered.NextCheckAt, read.NextCheckAt);
    }
}
