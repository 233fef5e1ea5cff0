using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Sources.Bench;
using Sources.TestServers;

namespace Sources.Load;

/// <summary>
/// The real service, <c>dotnet Sources.Api.dll --urls http://127.0.0.1:PORT</c>, started as an
/// operator would: from its own folder (so its appsettings.json applies), configured through the
/// environment, on fresh loopback ports and a temp data folder. Its output is copied as it comes,
/// unread, to a file (as a log collector would take it), and its request log lines are read back
/// from there between cells for the time each request took inside the service: parsing a line per
/// request while measuring would charge the load client's cores with the log, which no baseline has.
/// </summary>
public sealed partial class ServiceUnderTest : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly string _outputFile;
    private readonly Task _copying;
    private long _readUpTo;

    private ServiceUnderTest(Process process, string dataDirectory, Uri baseAddress, string apiKey)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        ApiKey = apiKey;
        _outputFile = Path.Combine(Path.GetTempPath(), $"sources-load-{process.Id}.log");
        _copying = CopyOutput();
    }

    public Uri BaseAddress { get; }
    public string ApiKey { get; }
    public int ProcessId => _process.Id;

    /// <summary>The service's data folder (in embedded mode, where its SQLite database is).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>CPU time the service has used so far, all its threads.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Embedded mode: SQLite and the master key file in a temp folder.</summary>
    public static Task<ServiceUnderTest> EmbeddedAsync() => StartAsync(new() { ["Sources__Storage"] = "embedded" });

    /// <summary>Embedded mode with sources re-checked every <paramref name="interval"/>, as a node that has been running a while checks them.</summary>
    public static Task<ServiceUnderTest> EmbeddedAsync(TimeSpan interval) => StartAsync(new()
    {
        ["Sources__Storage"] = "embedded",
        ["Sources__Probe__Interval"] = interval.ToString("c", CultureInfo.InvariantCulture),
    });

    /// <summary>Embedded mode with further settings, by environment variable name.</summary>
    public static Task<ServiceUnderTest> EmbeddedAsync(IReadOnlyDictionary<string, string> more) =>
        StartAsync(new(more) { ["Sources__Storage"] = "embedded" });

    /// <summary>Postgres mode on the given database.</summary>
    public static Task<ServiceUnderTest> PostgresAsync(string connectionString) => StartAsync(new()
    {
        ["Sources__Storage"] = "postgres",
        ["Sources__ConnectionString"] = connectionString,
        ["Sources__MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    });

    /// <summary>Milliseconds each request of the method took inside the service (its own log line), in the lines written since the last call.</summary>
    public double[] TakeHandlerTimes(string method)
    {
        var times = new List<double>();
        foreach (var line in NewLines())
        {
            if (HandledLine().Match(line) is { Success: true } m && m.Groups[1].Value == method)
                times.Add(double.Parse(m.Groups[2].Value.Replace(',', '.'), CultureInfo.InvariantCulture));
        }
        times.Sort();
        return [.. times];
    }

    /// <summary>The whole lines written since the last call.</summary>
    private List<string> NewLines()
    {
        var text = ReadFrom(_readUpTo);
        var complete = text.LastIndexOf('\n') + 1;
        _readUpTo += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, complete));
        return [.. text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static async Task<ServiceUnderTest> StartAsync(Dictionary<string, string> settings)
    {
        var apiKey = $"bench-{Guid.NewGuid():N}";
        settings["SOURCES_BOOTSTRAP_API_KEY"] = apiKey;
        // Unless a harness says otherwise, the first probe of each source still runs at create and no re-check comes during the run.
        settings.TryAdd("Sources__Probe__Interval", "1.00:00:00");
        // The load is one key creating as fast as it can: no request limit, no source quota.
        foreach (var (name, value) in ServiceProcess.Unlimited) settings[name] = value;
        for (var attempt = 1; ; attempt++)
        {
            var data = Directory.CreateTempSubdirectory("sources-load-").FullName;
            settings["Sources__DataDirectory"] = data;
            if (settings["Sources__Storage"] == "postgres")
                UseClusterCertificate(settings, data);
            settings["Sources__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            settings["Sources__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var service = new ServiceUnderTest(Launch(address, settings), data, address, apiKey);
            if (await service.WaitUntilReadyAsync())
            {
                Console.WriteLine($"  service pid {service._process.Id} on {address}");
                return service;
            }
            var log = service.Log;
            await service.DisposeAsync();
            // Another process may take a free port before the service binds it.
            if (attempt == 3 || !log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"The service exited before it was ready:\n{log}");
        }
    }

    /// <summary>Postgres mode requires the cluster's mutual TLS: one self-signed certificate,
    /// which the node pins (a one-node cluster has no silo-to-silo traffic to measure anyway).</summary>
    private static void UseClusterCertificate(Dictionary<string, string> settings, string data)
    {
        using var certificate = TestCertificates.SelfSigned("sources load");
        var (certificatePath, keyPath) = TestCertificates.WritePem(certificate, data, "cluster");
        settings["Sources__Cluster__Certificate"] = certificatePath;
        settings["Sources__Cluster__CertificateKey"] = keyPath;
    }

    private static Process Launch(Uri address, Dictionary<string, string> settings) =>
        ServiceProcess.Start(["--urls", address.ToString().TrimEnd('/')], settings);

    private string ReadFrom(long offset)
    {
        using var file = new FileStream(_outputFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Position = offset;
        return new StreamReader(file).ReadToEnd();
    }

    /// <summary>The last lines the service wrote other than request lines, for error messages.</summary>
    private string Log
    {
        get
        {
            var lines = ReadFrom(0).Split('\n').Where(line => !HandledLine().IsMatch(line)).ToArray();
            return string.Join('\n', lines[Math.Max(0, lines.Length - 200)..]);
        }
    }

    /// <summary>Both streams, copied in large reads into one file, one writer at a time.</summary>
    private async Task CopyOutput()
    {
        await using var file = new FileStream(_outputFile, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        var gate = new SemaphoreSlim(1);
        async Task Copy(Stream from)
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                await gate.WaitAsync();
                try { await file.WriteAsync(buffer.AsMemory(0, read)); }
                finally { gate.Release(); }
            }
        }
        await Task.WhenAll(Copy(_process.StandardOutput.BaseStream), Copy(_process.StandardError.BaseStream));
    }

    private async Task<bool> WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (!_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or slow while the silo starts.
            }

            if (deadline.Elapsed > ReadyTimeout)
                throw new TimeoutException($"The service was not ready within {ReadyTimeout.TotalSeconds:0} s:\n{Log}");
            // Poll interval only; /readyz decides.
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>SIGTERM, as an operator stops it; killed if it does not exit in time. Its data folder goes too.</summary>
    public async ValueTask DisposeAsync()
    {
        await GracefulStop.StopAsync(_process, StopTimeout);
        await _copying;
        _process.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
        File.Delete(_outputFile);
    }

    [GeneratedRegex(@"\b(GET|POST) \S+ answered \d{3} in ([0-9]+[.,]?[0-9]*) ms")]
    private static partial Regex HandledLine();
}
