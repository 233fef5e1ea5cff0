using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Storage.Sources;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// Memory follows activity: a source nobody calls keeps no activation once its background check is
/// recorded; one that was called since the check began keeps it. Each test stores a source whose
/// check is due, as the sweep finds it, and pokes its grain itself: this node does not sweep, so
/// nothing else checks it.
/// </summary>
public sealed class IdleSourceTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("sources-idle-").FullName;
    private SiloHost _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloHost.Start(_data, interval: TimeSpan.FromHours(1), sweep: false);

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_source_nobody_calls_lets_its_activation_go_once_its_background_check_is_recorded()
    {
        const long id = 51;
        await StoreDue(id);
        var grain = _silo.Grains.GetGrain<ISourceGrain>(id);

        await grain.Check();

        // Recorded and gone: the row holds the result, and no activation (nor its published copy) is left.
        var stored = await Poll.Until(async () => await Stored(id) is { LastProbe: not null } record && await Activations(grain) == 0 ? record : null,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30), "the check recorded and the grain deactivated");
        Assert.Equal(ProbeOutcome.Unreachable, stored.LastProbe!.Outcome);
        Assert.Single(stored.History);
        Assert.False(_silo.Active.TryGet(id, SiloHost.Account, out _), "the deactivated grain left its source published");

        // The next read activates it again and finds the recorded check.
        var read = await grain.Get(SiloHost.Account);
        Assert.Equal(stored.LastProbe, read!.LastProbe);
        Assert.Equal(1, await Activations(grain));
    }

    [Fact]
    public async Task A_source_read_while_it_is_checked_keeps_its_activation()
    {
        const long id = 52;
        // A server that accepts and never answers: the check runs until its deadline, long enough to be read meanwhile.
        await using var silent = new SilentListener();
        await StoreDue(id, silent.Port);
        var grain = _silo.Grains.GetGrain<ISourceGrain>(id);

        await grain.Check();
        // The turn that started the check ends by publishing the source: the check has begun.
        await Poll.Until(() => _silo.Active.TryGet(id, SiloHost.Account, out var view) ? view : null,
            TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30), "the check started");
        Assert.NotNull(await grain.Get(SiloHost.Account));

        // Published at the end of the turn that recorded the result, the turn that would have let it go.
        var checkedView = await Poll.Until(() => _silo.Active.TryGet(id, SiloHost.Account, out var view) && view!.LastProbe is not null ? view : null,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30), "the check recorded");
        Assert.Single(checkedView.History);
        Assert.Equal(1, await Activations(grain));
        Assert.True(_silo.Active.TryGet(id, SiloHost.Account, out _));
    }

    /// <summary>A POSTGRES source (by default on a closed port) whose check fell due a minute ago, stored as its grain stores one.</summary>
    private async Task StoreDue(long id, int port = 9)
    {
        var config = _silo.Postgres(id, port, "u", "p", "db");
        var now = DateTimeOffset.UtcNow;
        var record = new SourceRecord
        {
            Id = id, Account = SiloHost.Account, Type = config.Type, AccountName = config.AccountName, SettingsJson = config.SettingsJson,
            SealedSecrets = config.SealedSecrets, SecretsSet = config.SecretsSet, CreatedAt = now, UpdatedAt = now, Version = 1,
            NextCheckAt = now - TimeSpan.FromMinutes(1),
        };
        Assert.True(await State(id).Insert(record));
    }

    /// <summary>The source as its row holds it, read without its grain.</summary>
    private Task<SourceRecord?> Stored(long id) => State(id).Read();

    private SourceState State(long id) => new(id, _silo.Services.GetRequiredService<SourceStore>(),
        _silo.Services.GetRequiredService<Serializer<SourceRecord>>(), TimeSpan.FromMinutes(1));

    private Task<int> Activations(ISourceGrain grain) =>
        _silo.Grains.GetGrain<IManagementGrain>(0).GetGrainActivationCount((GrainReference)grain);
}
