using System.Diagnostics;
using OpenTelemetry;

namespace Sources.Silo.Hosting;

/// <summary>
/// Drops, from every span before it is exported, the tags through which a driver could pass on
/// what a user gave a source: a connection string (Npgsql names it without its password, but with
/// the host, user and options the user typed) and the database user. Probes connect to users'
/// databases with the same drivers the cluster uses for its own storage, so the rule is one for
/// all spans.
/// </summary>
internal sealed class SecretTags : BaseProcessor<Activity>
{
    private static readonly string[] Dropped = ["db.connection_string", "db.user"];

    public override void OnEnd(Activity span)
    {
        foreach (var tag in Dropped)
            if (span.GetTagItem(tag) is not null)
                span.SetTag(tag, null);
    }
}
