using Psoxy.Infra.Catalog;
using Psoxy.Infra.Entra;
using Pulumi;
using Pulumi.Utilities;

namespace Psoxy.Infra.Hosts.Aws;

internal sealed class AwsProxyInstanceArgs
{
    public required ConnectorSpec Connector { get; init; }
    public required string Environment { get; init; }
    public required Output<string> ClientId { get; init; }
    public required Output<string> IdentityPoolId { get; init; }
    public required string DeveloperProviderName { get; init; }
    public required AwsConnectionSettings Connection { get; init; }
}

/// <summary>One connector's proxy on AWS, with the Cognito identity that Entra ID trusts.</summary>
internal sealed class AwsProxyInstance : ComponentResource, IProxyInstance
{
    public const string TypeToken = "psoxy:aws:ProxyInstance";

    /// <summary>Cognito signs developer identities' OpenID tokens with this issuer.</summary>
    public const string CognitoIssuer = "https://cognito-identity.amazonaws.com";

    /// <summary>The Cognito identity id the Lambda authenticates as; unknown until deployment.</summary>
    public Output<string> IdentityId { get; }

    public FederatedIdentity FederatedIdentity { get; }

    public Output<string> EndpointUrl { get; } = Output.Create(string.Empty); // TODO(#4): the function URL

    public Output<WorklyticsConnection> Worklytics { get; private set; }

    public AwsProxyInstance(string name, AwsProxyInstanceArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        var connector = args.Connector;

        // Cognito registers the identity for login "<developer provider>=<client id>" on first call and returns the
        // same id afterwards, so asking on every deployment is safe. A preview never calls AWS: the id shows as unknown.
        IdentityId = Output.Tuple(args.IdentityPoolId, args.ClientId).Apply(t =>
        {
            var (poolId, clientId) = t;
            if (Deployment.Instance.IsDryRun)
            {
                return OutputUtilities.CreateUnknown(string.Empty);
            }

            return Output.Create(LookUpIdentityAsync(args.Connection, poolId, args.DeveloperProviderName, clientId));
        });

        // Cognito's OpenID tokens carry the identity pool id as their audience.
        FederatedIdentity = new FederatedIdentity(
            Issuer: CognitoIssuer,
            Audience: args.IdentityPoolId,
            Subject: IdentityId,
            CredentialName: $"psoxy-{args.Environment}-aws",
            Description: $"Psoxy {connector.DisplayName} proxy on AWS ({args.Environment}): its Cognito developer identity.");

        Worklytics = EndpointUrl.Apply(url => new WorklyticsConnection(connector, "AWS", [new WorklyticsSetting("Psoxy Base URL", "PROXY_ENDPOINT", url)]));
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["identityId"] = IdentityId,
        });
    }

    private static async Task<string> LookUpIdentityAsync(AwsConnectionSettings connection, string poolId, string developerProviderName, string clientId)
    {
        using var client = new CognitoDeveloperIdentityClient(connection);
        return await client.GetIdentityIdAsync(poolId, developerProviderName, clientId).ConfigureAwait(false);
    }
}
