using Psoxy.Infra.Tests.Hosts.Aws;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>Observes a stack on either host; AWS stacks get the loopback Cognito so identities are real values.</summary>
internal static class SafetyRun
{
    public static async Task<ObservedStack> ObserveAsync(IDictionary<string, object> config, IEnumerable<string>? secretKeys = null, ResourceTransformation? breaker = null)
    {
        if (!(config.TryGetValue("psoxy:host", out var host) && Equals(host, "aws")))
        {
            return await ObservedStack.ObserveAsync(config, secretKeys, breaker, FakeCloud.For(config));
        }

        config = new Dictionary<string, object>(config)
        {
            ["aws:accessKey"] = CognitoDeveloperIdentityClientTests.AccessKey,
            ["aws:secretKey"] = CognitoDeveloperIdentityClientTests.SecretKey,
        };
        var cloud = FakeCloud.For(config);
        await using var cognito = AwsTestRun.StartCognito(cloud.AwsRegion);
        using var endpoint = new CognitoEndpointOverride(cognito.Endpoint);
        return await ObservedStack.ObserveAsync(config, secretKeys, breaker, cloud);
    }
}
