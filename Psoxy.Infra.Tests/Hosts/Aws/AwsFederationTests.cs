using System.Collections.Immutable;
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
    public async Task FederatedCredential_TrustsTheIdentityCognitoMintsForTheClientId()
    {
        await using var cognito = FakeCognitoServer.Start();
        using var endpoint = new CognitoEndpointOverride(cognito.Endpoint);
        var run = await StackRun.RunAsync(AwsConfig(), cloud: new FakeCloud { IdentityPoolId = PoolId });

        var pool = run.Inputs("aws:cognito/identityPool:IdentityPool", "aws-identity-pool");
        Assert.Equal("test-azure-ad-federation", pool["identityPoolName"]);
        Assert.Equal("test-azure-access", pool["developerProviderName"]);
        Assert.Equal(false, pool["allowUnauthenticatedIdentities"]);
        Assert.Equal(false, pool["allowClassicFlow"]);

        var poolId = PoolId;
        foreach (var connector in new[] { "outlook-cal", "msft-teams" })
        {
            var credential = run.Inputs(CredentialType, $"{connector}-federated-credential");
            Assert.Equal("/applications/" + FakeCloud.ObjectIdOf(connector), credential["applicationId"]);
            Assert.Equal("https://cognito-identity.amazonaws.com", credential["issuer"]);
            Assert.Equal([poolId], ((ImmutableArray<object>)credential["audiences"]).Cast<string>());
            Assert.Equal(FakeCognitoServer.ExpectedIdentityId(poolId, "test-azure-access", FakeCloud.ClientIdOf(connector)), credential["subject"]);
            Assert.Equal("psoxy-test-aws", credential["displayName"]);
        }

        // One signed call per connector, each accepted by the fake Cognito.
        Assert.Equal(2, cognito.Requests.Count);
        Assert.All(cognito.Requests, r => Assert.Null(r.Rejection));
    }

    [Fact]
    public async Task Preview_NeverCallsCognito_AndLeavesTheSubjectUnknown()
    {
        await using var cognito = FakeCognitoServer.Start();
        using var endpoint = new CognitoEndpointOverride(cognito.Endpoint);
        var run = await StackRun.RunAsync(AwsConfig(), preview: true, cloud: new FakeCloud { IdentityPoolId = PoolId });

        Assert.Empty(cognito.Requests);
        var credential = run.Inputs(CredentialType, "outlook-cal-federated-credential");
        Assert.False(credential.ContainsKey("subject"));
        Assert.Equal("https://cognito-identity.amazonaws.com", credential["issuer"]);
    }

    /// <summary>Points the Cognito client at the loopback fake for the duration of a test.</summary>
}
