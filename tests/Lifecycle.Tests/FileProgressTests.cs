using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// A FILE source through the grain: while its probe is held inside the second download, GET
/// shows how far it has come; once the result is recorded the progress is gone.
/// </summary>
public sealed class FileProgressTests
{
    private static readonly byte[] First = Encoding.UTF8.GetBytes("id,name\n1,alpha\n2,beta\n");
    private static readonly byte[] Second = Encoding.UTF8.GetBytes("id,label\n1,x\n2,y\n3,z\n");

    [Fact]
    public async Task Get_shows_progress_while_the_probe_runs_and_drops_it_when_the_result_is_recorded()
    {
        var data = Directory.CreateTempSubdirectory("sources-file-progress-").FullName;
        await using var files = HeldFileServer.Start(Second, heldAfter: 5);
        await using (var silo = await SiloHost.Start(data, deadline: TimeSpan.FromSeconds(30)))
        {
            const long id = 3001;
            var settings = JsonSerializer.Serialize(new
            {
                type = "FILE",
                account_name = "first.csv",
                file_urls = new[]
                {
                    new { url = $"{files.BaseUrl}/first.csv", filename = "first.csv" },
                    new { url = $"{files.BaseUrl}/second.csv", filename = "second.csv" },
                },
            });
            await silo.Grains.GetGrain<ISourceGrain>(id).Register(SiloHost.Account, new SourceConfig("FILE", "first.csv", settings, [], []));

            var running = await silo.WaitFor(id, r => r.Progress is { FilesDone: 1 }, "one file of two done");
            Assert.Null(running.LastProbe);
            Assert.Equal(2, running.Progress!.FilesTotal);
            Assert.True(running.Progress.BytesDownloaded >= First.Length);

            files.Release();
            var done = await silo.WaitFor(id, r => r.LastProbe is not null, "the probe's result recorded");
            Assert.Equal(ProbeOutcome.Ok, done.LastProbe!.Outcome);
            Assert.Null(done.Progress);
            Assert.True(File.Exists(Path.Combine(data, "files", id.ToString(), FileProber.DatabaseFile)));
        }
        Directory.Delete(data, recursive: true);
    }

    /// <summary>
    /// Serves /first.csv whole; /second.csv announces its length, sends its first bytes and holds
    /// the rest until the test releases it.
    /// </summary>
    internal sealed class HeldFileServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = new();
        private byte[] _held = [];
        private int _heldAfter;
        private Task _accepting = Task.CompletedTask;

        public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public static HeldFileServer Start(byte[] held, int heldAfter)
        {
            var server = new HeldFileServer { _held = held, _heldAfter = heldAfter };
            server._listener.Start();
            server._accepting = server.Accept();
            return server;
        }

        public void Release() => _release.TrySetResult();

        private async Task Accept()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = Serve(client);
                }
            }
            catch (OperationCanceledException) { }
        }

        private async Task Serve(TcpClient client)
        {
            using var _ = client;
            try
            {
                var stream = client.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n"))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                var held = request.ToString().Split(' ')[1] == "/second.csv";
                var body = held ? _held : First;
                var head = $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nContent-Type: text/csv\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                if (held)
                {
                    await stream.WriteAsync(body.AsMemory(0, _heldAfter), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    await _release.Task.WaitAsync(_stop.Token);
                    await stream.WriteAsync(body.AsMemory(_heldAfter), _stop.Token);
                }
                else
                {
                    await stream.WriteAsync(body, _stop.Token);
                }
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException) { }
        }

        public async ValueTask DisposeAsync()
        {
            _release.TrySetResult();
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
        }
    }
}
