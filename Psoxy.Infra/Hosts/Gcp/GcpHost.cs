using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Pulumi;

namespace Psoxy.Infra.Hosts.Gcp;

internal sealed class GcpHostArgs
{
    public required ProxyHostContext Context { get; init; }
    public required GcpHostSettings Settings { get; init; }
}

/// <summary>Google Cloud as the proxy host: one Cloud Function per connector, each running as its own service account.</summary>
internal sealed class GcpHost : ComponentResource, IProxyHost
{
    public const string TypeToken = "psoxy:gcp:Host";

    private readonly string _environment;

    public string WorklyticsHostName => "GCP";

    /// <summary>The project the proxies run in.</summary>
    public string ProjectId { get; }

    public GcpHost(string name, GcpHostArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        _environment = args.Context.Environment;
        ProjectId = args.Settings.ProjectId;
        RegisterOutputs();
    }

    public IProxyInstance Deploy(ConnectorSpec connector, EntraConnection connection) =>
        new GcpProxyInstance(connector.Id, new GcpProxyInstanceArgs
        {
            Connector = connector,
            Environment = _environment,
            ClientId = connection.ClientId,
        }, new ComponentResourceOptions { Parent = this });
}
