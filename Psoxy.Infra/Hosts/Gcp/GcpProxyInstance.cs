using Psoxy.Infra.Catalog;
using Psoxy.Infra.Entra;
using Pulumi;
using Pulumi.Gcp.ServiceAccount;

namespace Psoxy.Infra.Hosts.Gcp;

internal sealed class GcpProxyInstanceArgs
{
    public required ConnectorSpec Connector { get; init; }
    public required string Environment { get; init; }
    public required Output<string> ClientId { get; init; }
}

/// <summary>One connector's proxy on GCP, with the service account it runs as and that Entra ID trusts.</summary>
internal sealed class GcpProxyInstance : ComponentResource, IProxyInstance
{
    public const string TypeToken = "psoxy:gcp:ProxyInstance";

    /// <summary>Google signs the identity tokens of service accounts with this issuer.</summary>
    public const string GoogleIssuer = "https://accounts.google.com";

    /// <summary>The audience Entra ID expects for workload identity federation from non-Azure issuers.</summary>
    public const string EntraTokenExchangeAudience = "api://AzureADTokenExchange";

    public Account ServiceAccount { get; }
    public FederatedIdentity FederatedIdentity { get; }

    public Output<string> EndpointUrl { get; } = Output.Create(string.Empty); // TODO(#5): the function URL

    public Output<WorklyticsConnection> Worklytics { get; private set; }

    public GcpProxyInstance(string name, GcpProxyInstanceArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        var connector = args.Connector;
        ServiceAccount = new Account($"{name}-service-account", new AccountArgs
        {
            AccountId = GcpNames.ServiceAccountId(args.Environment, connector.Id),
            DisplayName = $"Psoxy {connector.DisplayName} ({args.Environment})",
            Description = $"Runs the Psoxy proxy for {connector.DisplayName}; trusted by its Entra ID application.",
        }, new CustomResourceOptions { Parent = this });

        // The subject is the service account's numeric unique id, which never changes and is never reused.
        FederatedIdentity = new FederatedIdentity(
            Issuer: GoogleIssuer,
            Audience: EntraTokenExchangeAudience,
            Subject: ServiceAccount.UniqueId,
            CredentialName: $"psoxy-{args.Environment}-gcp",
            Description: $"Psoxy {connector.DisplayName} proxy on GCP ({args.Environment}): its service account's identity tokens.");

        Worklytics = EndpointUrl.Apply(url => new WorklyticsConnection(connector, "GCP", [new WorklyticsSetting("Psoxy Base URL", "PROXY_ENDPOINT", url)]));
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["serviceAccountEmail"] = ServiceAccount.Email,
            ["serviceAccountUniqueId"] = ServiceAccount.UniqueId,
        });
    }
}
