using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sources.Silo.Grains.KeyPairs;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Secrets;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Tests.Storage;

/// <summary>
/// Master key rotation finishes, on each engine: secrets sealed under key A are sealed again under
/// key B (with A still known), after which B alone opens every source's secrets and every
/// Snowflake private key; a second run finds nothing left to do.
/// </summary>
public abstract class SecretResealTests : IAsyncLifetime
{
    private readonly byte[] _keyA = RandomNumberGenerator.GetBytes(MasterKeys.KeySize);
    private readonly byte[] _keyB = RandomNumberGenerator.GetBytes(MasterKeys.KeySize);
    private TestDatabase? _database;

    private TestDatabase Database => _database!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync() => _database = await CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database!.DisposeAsync();

    private static byte[] Secret(long id) => Encoding.UTF8.GetBytes($$"""{"password":"pw-{{id}}"}""");

    private static string Pem(int i) => $"-----BEGIN PRIVATE KEY-----\nkey-{i}\n-----END PRIVATE KEY-----";

    [Fact]
    public async Task After_a_reseal_the_new_key_alone_opens_every_stored_secret()
    {
        var underA = new SecretSealer(new MasterKeys(_keyA));
        var ids = Enumerable.Range(1, 300).Select(i => (long)i).ToArray(); // more than one page
        await using (var silo = await SiloHost.StartStorage(Database.Options))
        {
            var records = silo.Services.GetRequiredService<Serializer<SourceRecord>>();
            await using var store = new SourceStore(Database.Options);
            foreach (var id in ids)
                await store.Insert(Row(records, new SourceRecord { Id = id, Account = "acme", Type = "POSTGRES", SealedSecrets = underA.Seal(Secret(id), id) }));
            await store.Insert(Row(records, new SourceRecord { Id = 1000, Account = "acme", Type = "FILE" })); // no secrets at all
            for (var i = 0; i < 3; i++)
            {
                var fingerprint = $"fp{i}";
                var sealedKey = underA.Seal(Encoding.UTF8.GetBytes(Pem(i)), ISnowflakeKeyPairGrain.SealContext("acme", fingerprint));
                Assert.True(await silo.Grains.GetGrain<ISnowflakeKeyPairGrain>(ISnowflakeKeyPairGrain.KeyOf("acme", fingerprint)).Store($"pub{i}", sealedKey));
            }
        }

        // Rotated: B seals, A still opens.
        await using (var silo = await SiloHost.StartStorage(Database.Options))
        {
            await using var reseal = Reseal(silo, new SecretSealer(new MasterKeys(_keyB, [_keyA])));
            var resealed = new List<SecretReseal.Resealed>();
            var report = await reseal.Run(r => { resealed.Add(r); return Task.CompletedTask; });

            Assert.True(report.Finished);
            Assert.Equal((300, 3, 1), (report.Sources, report.KeyPairs, report.AlreadyCurrent));
            Assert.Equal(303, resealed.Count);

            var again = await reseal.Run();
            Assert.Equal((0, 0, 304), (again.Sources, again.KeyPairs, again.AlreadyCurrent));
        }

        // A retired: B alone opens everything, through the same reads the service uses.
        var underB = new SecretSealer(new MasterKeys(_keyB));
        await using (var silo = await SiloHost.StartStorage(Database.Options))
        {
            var records = silo.Services.GetRequiredService<Serializer<SourceRecord>>();
            await using var store = new SourceStore(Database.Options);
            foreach (var id in ids)
            {
                var stored = (await store.Read(id))!;
                // The rewrite bumped the row's version: an activation still holding the old row cannot write over it.
                Assert.Equal(2, stored.Version);
                var record = records.Deserialize(stored.Row.Payload)!;
                Assert.Equal(Secret(id), underB.Unseal(record.SealedSecrets, id));
                Assert.Equal("POSTGRES", record.Type);
            }
            for (var i = 0; i < 3; i++)
            {
                var pair = (await silo.Grains.GetGrain<ISnowflakeKeyPairGrain>(ISnowflakeKeyPairGrain.KeyOf("acme", $"fp{i}")).Get())!;
                Assert.Equal($"pub{i}", pair.PublicKey);
                Assert.Equal(Pem(i), Encoding.UTF8.GetString(underB.Unseal(pair.SealedPrivateKey, ISnowflakeKeyPairGrain.SealContext("acme", $"fp{i}"))));
            }
        }
    }

    [Fact]
    public async Task A_secret_under_a_key_the_node_does_not_have_is_named_and_the_rest_are_resealed()
    {
        var unknown = new SecretSealer(new MasterKeys(RandomNumberGenerator.GetBytes(MasterKeys.KeySize)));
        var underA = new SecretSealer(new MasterKeys(_keyA));
        await using var silo = await SiloHost.StartStorage(Database.Options);
        var records = silo.Services.GetRequiredService<Serializer<SourceRecord>>();
        await using (var store = new SourceStore(Database.Options))
        {
            await store.Insert(Row(records, new SourceRecord { Id = 1, Account = "acme", Type = "POSTGRES", SealedSecrets = unknown.Seal(Secret(1), 1) }));
            await store.Insert(Row(records, new SourceRecord { Id = 2, Account = "acme", Type = "POSTGRES", SealedSecrets = underA.Seal(Secret(2), 2) }));
        }

        await using var reseal = Reseal(silo, new SecretSealer(new MasterKeys(_keyB, [_keyA])));
        var report = await reseal.Run();

        Assert.False(report.Finished);
        Assert.Equal(["source 1"], report.Unopenable);
        Assert.Equal(1, report.Sources);
    }

    [Fact]
    public async Task An_activation_that_read_a_row_before_the_reseal_is_let_go_and_the_next_reads_the_new_box()
    {
        var underA = new SecretSealer(new MasterKeys(_keyA));
        var context = ISnowflakeKeyPairGrain.SealContext("acme", "fp");
        await using var silo = await SiloHost.StartStorage(Database.Options);
        var grain = silo.Grains.GetGrain<ISnowflakeKeyPairGrain>(ISnowflakeKeyPairGrain.KeyOf("acme", "fp"));
        await grain.Store("pub", underA.Seal(Encoding.UTF8.GetBytes(Pem(0)), context));
        var rotated = new SecretSealer(new MasterKeys(_keyB, [_keyA]));
        Assert.False(rotated.IsCurrent((await grain.Get())!.SealedPrivateKey)); // active, holding the box under A

        await using var reseal = Reseal(silo, rotated);
        await reseal.Run(SecretReseal.LetGo(silo.Grains));

        var after = (await grain.Get())!.SealedPrivateKey;
        Assert.True(rotated.IsCurrent(after));
        Assert.Equal(Pem(0), Encoding.UTF8.GetString(new SecretSealer(new MasterKeys(_keyB)).Unseal(after, context)));
    }

    private SecretReseal Reseal(SiloHost silo, SecretSealer sealer) => new(Database.Options, sealer,
        silo.Services.GetRequiredService<Serializer<SourceRecord>>(), silo.Services.GetRequiredService<Serializer>());

    private static SourceRow Row(Serializer<SourceRecord> records, SourceRecord record) =>
        new(record.Id, record.Account, record.Type, records.SerializeToArray(record), DateTimeOffset.UnixEpoch.AddYears(100),
            SourceColumns.Of(record));
}

public sealed class EmbeddedSecretResealTests : SecretResealTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Embedded());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSecretResealTests(Sources.TestServers.PostgresServer server) : SecretResealTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);
}
