using Psoxy.Infra.Catalog;
using Psoxy.Infra.Entra;
using Pulumi;

namespace Psoxy.Infra.Hosts.Gcp;

/// <summary>Google Cloud as the proxy host: one Cloud Function per connector, each running as its own service account.</summary>
internal sealed class GcpHost : ComponentResource, IProxyHost
{
    public const string TypeToken = "psoxy:gcp:Host";

    private readonly string _environment;

    public GcpHost(string name, string environment, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        _environment = environment;
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
