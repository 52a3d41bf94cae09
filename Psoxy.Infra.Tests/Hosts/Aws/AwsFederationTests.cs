using System.Collections.Immutable;
using System.Text.Json;
using Psoxy.Infra.Tests.Testing;
using static Psoxy.Infra.Tests.Hosts.Aws.CognitoDeveloperIdentityClientTests;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>The AWS host's side of federation: Entra trusts each connector's Cognito developer identity.</summary>
public sealed class AwsFederationTests
{
    private const string CredentialType = "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential";

    private static Dictionary<string, object> AwsConfig()
    {
        var config = StackRun.AwsConfig("outlook-cal", "msft-teams");
        config["aws:accessKey"] = AccessKey;
        config["aws:secretKey"] = SecretKey;
        return config;
    }

    [Fact]
    public async Task EachConnector_HasItsOwnPool_AndEntraTrustsTheIdentityCognitoMintsThere()
    {
        await using var cognito = AwsTestRun.StartCognito();
        using var endpoint = new CognitoEndpointOverride(cognito.Endpoint);
        var run = await StackRun.RunAsync(AwsConfig(), cloud: new FakeCloud());

        Assert.Equal(2, run.OfType("aws:cognito/identityPool:IdentityPool").Count());
        foreach (var connector in new[] { "outlook-cal", "msft-teams" })
        {
            var pool = run.Inputs("aws:cognito/identityPool:IdentityPool", $"{connector}-identity-pool");
            Assert.Equal($"test-{connector}-azure-ad-federation", pool["identityPoolName"]);
            Assert.Equal("test-azure-access", pool["developerProviderName"]);
            Assert.Equal(false, pool["allowUnauthenticatedIdentities"]);
            Assert.Equal(false, pool["allowClassicFlow"]);

            // The credential's audience is the connector's own pool, its subject the identity minted there.
            var poolId = FakeCloud.PoolIdOfConnector(connector);
            var credential = run.Inputs(CredentialType, $"{connector}-federated-credential");
            Assert.Equal("/applications/" + FakeCloud.ObjectIdOf(connector), credential["applicationId"]);
            Assert.Equal("https://cognito-identity.amazonaws.com", credential["issuer"]);
            Assert.Equal([poolId], ((ImmutableArray<object>)credential["audiences"]).Cast<string>());
            Assert.Equal(FakeCognitoServer.ExpectedIdentityId(poolId, "test-azure-access", FakeCloud.ClientIdOf(connector)), credential["subject"]);
            Assert.Equal("psoxy-test-aws", credential["displayName"]);
        }

        // One signed call per connector, each in that connector's pool and accepted by the fake Cognito.
        Assert.Equal(2, cognito.Requests.Count);
        Assert.All(cognito.Requests, r => Assert.Null(r.Rejection));
        Assert.Equal(
            new[] { "msft-teams", "outlook-cal" }.Select(c => FakeCloud.PoolIdOfConnector(c)).Order(),
            cognito.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("IdentityPoolId").GetString()).Order());
    }

    [Fact]
    public async Task Preview_NeverCallsCognito_AndLeavesTheSubjectUnknown()
    {
        await using var cognito = AwsTestRun.StartCognito();
        using var endpoint = new CognitoEndpointOverride(cognito.Endpoint);
        var run = await StackRun.RunAsync(AwsConfig(), preview: true, cloud: new FakeCloud());

        Assert.Empty(cognito.Requests);
        var credential = run.Inputs(CredentialType, "outlook-cal-federated-credential");
        Assert.False(credential.ContainsKey("subject"));
        Assert.Equal("https://cognito-identity.amazonaws.com", credential["issuer"]);
    }

    /// <summary>Points the Cognito client at the loopback fake for the duration of a test.</summary>
}
