using Google.Apis.Http;
using Sources.Silo.Probing.Http;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.BigQuery;

/// <summary>Google's client library, sending through the network policy's checked connections, within the probe's budget.</summary>
internal sealed class GuardedGoogleHttp(NetworkPolicy network, TimeSpan budget) : HttpClientFactory
{
    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => new BoundedAnswers(GuardedHttp.Handler(network, budget));
}
