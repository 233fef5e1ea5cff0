using Google.Apis.Http;
using Sources.Silo.Probing.Http;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.BigQuery;

/// <summary>Google's client library, sending through the network policy's checked connections.</summary>
internal sealed class GuardedGoogleHttp(NetworkPolicy network) : HttpClientFactory
{
    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => GuardedHttp.Handler(network);
}
