using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Pulumi;
using Pulumi.Aws.Cognito;

namespace Psoxy.Infra.Hosts.Aws;

internal sealed class AwsHostArgs
{
    public required ProxyHostContext Context { get; init; }
    public required AwsHostSettings Settings { get; init; }

    /// <summary>How the program itself reaches AWS (same region and credentials as the AWS provider).</summary>
    public required AwsConnectionSettings Connection { get; init; }
}

/// <summary>
/// AWS as the proxy host: one Lambda per connector. Entra ID trusts each Lambda through a Cognito developer
/// identity, minted from one identity pool shared by the connectors of this environment.
/// </summary>
internal sealed class AwsHost : ComponentResource, IProxyHost
{
    public const string TypeToken = "psoxy:aws:Host";

    private readonly AwsHostArgs _args;

    public IdentityPool IdentityPool { get; }

    public string WorklyticsHostName => "AWS";

    /// <summary>The region the proxies run in.</summary>
    public string Region => _args.Connection.Region;

    /// <summary>The role the analytics service assumes to invoke the proxies.</summary>
    public Output<string> CallerRoleArn { get; } = Output.Create(string.Empty); // TODO(#4): the caller role

    /// <summary>The developer provider name the Lambdas log in with: <c>&lt;environment&gt;-azure-access</c>.</summary>
    public string DeveloperProviderName { get; }

    public AwsHost(string name, AwsHostArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        _args = args;
        DeveloperProviderName = $"{args.Context.Environment}-azure-access";
        IdentityPool = new IdentityPool($"{name}-identity-pool", new IdentityPoolArgs
        {
            IdentityPoolName = $"{args.Context.Environment}-azure-ad-federation",
            DeveloperProviderName = DeveloperProviderName,
            AllowUnauthenticatedIdentities = false,
            AllowClassicFlow = false,
        }, new CustomResourceOptions { Parent = this });

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["identityPoolId"] = IdentityPool.Id,
            ["developerProviderName"] = DeveloperProviderName,
        });
    }

    public IProxyInstance Deploy(ConnectorSpec connector, EntraConnection connection) =>
        new AwsProxyInstance(connector.Id, new AwsProxyInstanceArgs
        {
            Connector = connector,
            Environment = _args.Context.Environment,
            ClientId = connection.ClientId,
            IdentityPoolId = IdentityPool.Id,
            DeveloperProviderName = DeveloperProviderName,
            Connection = _args.Connection,
        }, new ComponentResourceOptions { Parent = this });
}
