using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Postgres;
using Sources.Silo.Probing.Snowflake;
using Sources.Silo.Scheduling;

namespace Sources.Probing.Tests.Snowflake;

/// <summary>
/// The create-time check of an encrypted Snowflake key decrypts it on the node's bounded blocking
/// pool, within the check budget: while the pool is full, checks of expensive keys wait there (no
/// request thread decrypts), an unrelated cheap check answers at once, and once threads are free
/// every waiting check answers what its key deserves. A check that finds no thread within the
/// budget answers busy rather than waiting on.
/// </summary>
public sealed class SnowflakeCheckOnPoolTests
{
    private const int PoolSize = 2;

    private static readonly string Pem = MaxIterationsPem();

    private static string MaxIterationsPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportEncryptedPkcs8PrivateKeyPem("pass",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, SnowflakePrivateKeys.MaxIterations));
    }

    private static JsonObject Snowflake(string passphrase) => new()
    {
        ["type"] = "SNOWFLAKE", ["account"] = "xy12345", ["user"] = "LOADER",
        ["private_key"] = Pem, ["private_key_passphrase"] = passphrase,
    };

    private static JsonObject Postgres() => new() { ["type"] = "POSTGRES", ["host"] = "db.example", ["port"] = 5432, ["database"] = "app", ["user"] = "app", ["password"] = "secret" };

    private static SettingsChecks Checks(BlockingWork pool, TimeProvider time, TimeSpan budget)
    {
        var settings = new ProbeSettings { CheckBudget = budget };
        var runner = new ProbeRunner(
            [new SnowflakeProber(Probes.Loopback, new SnowflakeSettings(), TimeProvider.System), new PostgresProber(Probes.Loopback)],
            settings, NullLogger<ProbeRunner>.Instance);
        return new SettingsChecks(runner, pool, settings, time);
    }

    /// <summary>Takes every thread of the pool until the returned gate opens.</summary>
    private static (List<Task> Holders, ManualResetEventSlim Gate) Fill(BlockingWork pool)
    {
        var gate = new ManualResetEventSlim();
        var holders = Enumerable.Range(0, pool.Limit).Select(_ => pool.Run(token => gate.Wait(token), CancellationToken.None)).ToList();
        SpinWait.SpinUntil(() => pool.Running == pool.Limit);
        return (holders, gate);
    }

    [Fact]
    public async Task Checks_of_expensive_keys_wait_on_the_full_pool_while_a_cheap_check_answers()
    {
        var pool = new BlockingWork(PoolSize);
        var checks = Checks(pool, TimeProvider.System, TimeSpan.FromMinutes(5));
        var (holders, gate) = Fill(pool);

        var expensive = Enumerable.Range(0, 4)
            .Select(i => checks.Run("SNOWFLAKE", Snowflake(i == 3 ? "wrong" : "pass"), CancellationToken.None))
            .ToList();
        var cheap = await checks.Run("POSTGRES", Postgres(), CancellationToken.None);

        Assert.False(cheap.Busy);
        Assert.Empty(cheap.Problems);
        // The pool is still full: no check has decrypted its key, on a pool thread or any other.
        Assert.All(expensive, check => Assert.False(check.IsCompleted));
        Assert.Equal(PoolSize, pool.Running);

        gate.Set();
        await Task.WhenAll(holders);
        var answers = await Task.WhenAll(expensive);

        Assert.All(answers.Take(3), answer => Assert.Equal((false, 0), (answer.Busy, answer.Problems.Count)));
        Assert.False(answers[3].Busy);
        Assert.Equal("/private_key_passphrase", Assert.Single(answers[3].Problems).Pointer);
    }

    [Fact]
    public async Task A_check_that_gets_no_thread_within_its_budget_answers_busy()
    {
        var pool = new BlockingWork(PoolSize);
        var time = new FakeTimeProvider();
        var checks = Checks(pool, time, TimeSpan.FromSeconds(10));
        var (holders, gate) = Fill(pool);

        var waiting = checks.Run("SNOWFLAKE", Snowflake("pass"), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var answer = await waiting;

        Assert.True(answer.Busy);
        Assert.Empty(answer.Problems);
        gate.Set();
        await Task.WhenAll(holders);
        // Nothing of the refused check was left on the pool. A thread the holders hand back can still
        // reach the refused check's cancelled wait (SemaphoreSlim grants before it drops a cancelled
        // waiter); that wait then gives it straight back, so the pool empties without running it.
        Assert.True(SpinWait.SpinUntil(() => pool.Running == 0, TimeSpan.FromSeconds(30)), $"{pool.Running} pool threads still taken");
    }

    [Fact]
    public void The_synchronous_check_only_screens_an_encrypted_key()
    {
        var prober = new SnowflakeProber(Probes.Loopback, new SnowflakeSettings(), TimeProvider.System);

        // A wrong passphrase is found only by decrypting, which Check leaves to CheckAsync.
        Assert.Empty(prober.Check(Snowflake("wrong")));
        Assert.Equal("/private_key_passphrase", Assert.Single(prober.Check(Snowflake(""))).Pointer);
    }
}
