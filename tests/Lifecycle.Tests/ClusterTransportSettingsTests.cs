using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sources.Silo.Hosting;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// Postgres mode refuses to start without the cluster's certificate, naming the setting, unless
/// the development switch is on, which the node then says at start.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTransportSettingsTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sources-transport-").FullName;

    private static Dictionary<string, string?> Postgres(string connectionString = "Host=127.0.0.1;Username=u;Database=d") => new()
    {
        ["Sources:Storage"] = "postgres",
        ["Sources:ConnectionString"] = connectionString,
        ["Sources:MasterKey"] = Convert.ToBase64String(new byte[32]),
    };

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("client")]
    [InlineData("all")]
    public void A_node_without_a_certificate_refuses_to_start_naming_the_setting_and_the_switch(string role)
    {
        var settings = Postgres();
        settings["Sources:Role"] = role;
        var refused = Assert.Throws<SettingsRefusedException>(() => Builder(settings).AddSources());
        Assert.Contains("Sources:Cluster:Certificate is required in postgres mode", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Sources:Cluster:AllowInsecureTransport=true", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_file_that_does_not_exist_is_named_with_its_setting()
    {
        var settings = Postgres();
        settings["Sources:Cluster:Certificate"] = Path.Combine(_folder, "missing.pem");
        var refused = Assert.Throws<InvalidOperationException>(() => Builder(settings).AddSources());
        Assert.Contains("Sources:Cluster:Certificate names", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_its_key_is_refused_naming_the_key_setting()
    {
        using var certificate = TestCertificates.SelfSigned("node");
        var path = Path.Combine(_folder, "alone.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        var settings = Postgres();
        settings["Sources:Cluster:Certificate"] = path;
        var refused = Assert.Throws<InvalidOperationException>(() => Builder(settings).AddSources());
        Assert.Contains("Sources:Cluster:Certificate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_its_own_CA_did_not_sign_is_refused_at_start()
    {
        using var cluster = TestCertificates.NewAuthority();
        using var other = TestCertificates.NewAuthority("another CA");
        using var certificate = other.Issue("node");
        var (certificatePath, keyPath) = TestCertificates.WritePem(certificate, _folder, "node");
        var settings = Postgres();
        settings["Sources:Cluster:Certificate"] = certificatePath;
        settings["Sources:Cluster:CertificateKey"] = keyPath;
        settings["Sources:Cluster:CertificateAuthority"] = cluster.WriteAuthority(_folder);
        var refused = Assert.Throws<InvalidOperationException>(() => Builder(settings).AddSources());
        Assert.Contains("Sources:Cluster:Certificate is not signed by Sources:Cluster:CertificateAuthority", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_embedded_node_needs_no_certificate()
    {
        var settings = new Dictionary<string, string?> { ["Sources:Storage"] = "embedded", ["Sources:DataDirectory"] = _folder };
        Builder(settings).AddSources();
    }

    [Fact]
    public async Task The_development_switch_starts_the_node_and_warns_at_start()
    {
        var settings = Postgres(await postgres.Server.CreateDatabaseAsync());
        settings["Sources:Cluster:AllowInsecureTransport"] = "true";
        settings["Sources:SiloPort"] = FreePort.Next().ToString();
        settings["Sources:GatewayPort"] = FreePort.Next().ToString();
        settings["Sources:Probe:Sweep"] = "false";
        var builder = Builder(settings);
        var logged = new RecordingLoggerProvider();
        builder.Logging.AddProvider(logged);
        builder.AddSources();
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
        var warning = Assert.Single(logged.Lines, line => line.Level == LogLevel.Warning && line.Text.Contains("AllowInsecureTransport", StringComparison.Ordinal));
        Assert.Contains("no TLS and no authentication", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listen_address_other_than_the_advertised_one_is_where_the_ports_listen()
    {
        var settings = Postgres(await postgres.Server.CreateDatabaseAsync());
        settings["Sources:Cluster:AllowInsecureTransport"] = "true";
        settings["Sources:AdvertisedAddress"] = "127.0.0.1";
        settings["Sources:ListenAddress"] = "127.0.0.2";
        var gateway = FreePort.Next();
        settings["Sources:SiloPort"] = FreePort.Next().ToString();
        settings["Sources:GatewayPort"] = gateway.ToString();
        settings["Sources:Probe:Sweep"] = "false";
        var builder = Builder(settings);
        builder.AddSources();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            using (var listening = new Socket(SocketType.Stream, ProtocolType.Tcp))
                await listening.ConnectAsync(IPAddress.Parse("127.0.0.2"), gateway);
            using var advertised = new Socket(SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => advertised.ConnectAsync(IPAddress.Loopback, gateway));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class RecordingLoggerProvider : ILoggerProvider, ILogger
    {
        private readonly List<(LogLevel Level, string Text)> _lines = [];

        public IReadOnlyList<(LogLevel Level, string Text)> Lines
        {
            get
            {
                lock (_lines) return [.. _lines];
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (_lines) _lines.Add((logLevel, formatter(state, exception)));
        }

        public void Dispose()
        {
        }
    }
}
