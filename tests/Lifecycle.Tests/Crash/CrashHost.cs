using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;

namespace Sources.Lifecycle.Tests.Crash;

/// <summary>
/// A silo in a child process (embedded mode on the data folder it is given) with the CRASH prober,
/// driven by one command a line on stdin; it answers on stdout in lines starting with
/// <see cref="Prefix"/>, apart from its own logs.
/// </summary>
internal static class CrashHost
{
    public const string Prefix = "@@ ";

    private static readonly Lock Out = new();

    public static void Say(string line)
    {
        lock (Out)
        {
            Console.Out.WriteLine(Prefix + line);
            Console.Out.Flush();
        }
    }

    /// <summary>args: data folder.</summary>
    public static async Task<int> Run(string[] args)
    {
        await using var host = await SiloHost.Start(args[0], services: services => services.AddSingleton<IProber, CrashProber>());
        Say("ready");
        while (Console.In.ReadLine() is { } line)
        {
            var words = line.Split(' ');
            var grain = host.Grains.GetGrain<ISourceGrain>(long.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture));
            switch (words[0])
            {
                case "register":
                    await grain.Register(SiloHost.Account, Config(crash: words[2] == "crash"));
                    Say($"registered {words[1]}");
                    break;
                case "reconfigure":
                    var current = await grain.Get(SiloHost.Account);
                    Say($"reconfigured {words[1]} {(await grain.Reconfigure(SiloHost.Account, current!.Version, Config(crash: words[2] == "crash"))).Outcome}");
                    break;
                case "test":
                    Say($"tested {words[1]} {(await grain.Test(SiloHost.Account))?.Outcome}");
                    break;
                case "get":
                    var record = await grain.Get(SiloHost.Account);
                    Say($"source {words[1]} " + JsonSerializer.Serialize(new
                    {
                        status = record!.Status,
                        outcome = record.LastProbe?.Outcome,
                        message = record.LastProbe?.Message,
                        checked_at = record.LastProbe?.CheckedAt,
                        next_check_at = record.NextCheckAt,
                    }));
                    break;
            }
        }
        return 0;
    }

    private static SourceConfig Config(bool crash) =>
        new("CRASH", "Crash", JsonSerializer.Serialize(new { type = "CRASH", account_name = "Crash", crash }), [], []);
}
