using Psoxy.Infra.Catalog;
using Psoxy.Infra.Entra;
using Pulumi;

namespace Psoxy.Infra.Hosts;

/// <summary>A cloud that runs one proxy instance per connector (AWS Lambda or GCP Cloud Functions).</summary>
internal interface IProxyHost
{
    /// <summary>Deploys the connector's proxy instance, authenticating as <paramref name="connection"/>'s application.</summary>
    IProxyInstance Deploy(ConnectorSpec connector, EntraConnection connection);

    /// <summary>The host as Worklytics names it in its manual steps ("AWS" / "GCP").</summary>
    string WorklyticsHostName { get; }
}

/// <summary>One deployed proxy instance.</summary>
internal interface IProxyInstance
{
    /// <summary>The instance's own cloud identity, for the Entra application to trust (federated auth).</summary>
    FederatedIdentity FederatedIdentity { get; }

    /// <summary>The proxy's base URL, with a trailing slash (Psoxy's convention).</summary>
    Output<string> EndpointUrl { get; }

    /// <summary>What to enter in Worklytics to connect this instance.</summary>
    Output<WorklyticsConnection> Worklytics { get; }
}
