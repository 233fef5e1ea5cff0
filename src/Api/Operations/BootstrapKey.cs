using Sources.Silo.Grains.Keys;

namespace Sources.Api.Operations;

/// <summary>
/// On the first start, with no key at all, creates one so the service can be used at once:
/// SOURCES_BOOTSTRAP_API_KEY if set, else a random key printed once to the console.
/// </summary>
public sealed class BootstrapKey(ApiKeys keys, IConfiguration configuration) : IHostedService
{
    public const string Account = "default";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if ((await keys.List(null)).Length > 0) return;
        var given = configuration["SOURCES_BOOTSTRAP_API_KEY"];
        if (!string.IsNullOrWhiteSpace(given))
        {
            try
            {
                await keys.Create(Account, given.Trim());
            }
            catch (InvalidOperationException)
            {
                // Another node of the cluster, started at the same moment, may have created it first.
                if (await keys.Verify(given.Trim()) != Account) throw;
            }
            return;
        }
        var created = await keys.Create(Account);
        Console.WriteLine($"Created the first API key, for account '{Account}'. It is shown only this once:");
        Console.WriteLine($"  {created}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
