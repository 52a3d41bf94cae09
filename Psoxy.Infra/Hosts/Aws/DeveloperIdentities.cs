using Pulumi;
using Pulumi.Utilities;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>Where an AWS proxy instance's Cognito developer identity id, the subject Entra ID trusts, comes from.</summary>
internal interface IDeveloperIdentities
{
    /// <summary>The identity id of the login <c>&lt;developer provider&gt;=&lt;client id&gt;</c> in the pool.</summary>
    Output<string> IdentityOf(Output<string> poolId, Output<string> clientId, string developerProviderName);
}

/// <summary>
/// Asks Cognito itself during <c>pulumi up</c>. Cognito registers the identity for the login on first call and
/// returns the same id afterwards, so asking on every deployment is safe. A preview never calls AWS: the id is unknown.
/// </summary>
internal sealed class CognitoDeveloperIdentities(AwsConnectionSettings connection) : IDeveloperIdentities
{
    public Output<string> IdentityOf(Output<string> poolId, Output<string> clientId, string developerProviderName) =>
        Output.Tuple(poolId, clientId).Apply(t => Deployment.Instance.IsDryRun
            ? OutputUtilities.CreateUnknown(string.Empty)
            : Output.Create(LookUpAsync(t.Item1, developerProviderName, t.Item2)));

    private async Task<string> LookUpAsync(string poolId, string developerProviderName, string clientId)
    {
        using var client = new CognitoDeveloperIdentityClient(connection);
        return await client.GetIdentityIdAsync(poolId, developerProviderName, clientId).ConfigureAwait(false);
    }
}
