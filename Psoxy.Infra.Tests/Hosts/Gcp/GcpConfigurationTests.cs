using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Hosts.Gcp;

/// <summary>A <c>psoxy:gcp</c> value that cannot be deployed stops the program with one clear error, before any resource.</summary>
public sealed class GcpConfigurationTests
{
    [Theory]
    [InlineData("projectId", "Psoxy_Test", "psoxy:gcp.projectId = 'Psoxy_Test'", "6-30 lowercase letters, digits and hyphens")]
    [InlineData("projectId", "abc", "psoxy:gcp.projectId = 'abc'", "6-30 lowercase letters, digits and hyphens")]
    [InlineData("deploymentBundle", "https://example.com/psoxy-gcp-0.6.9.zip", "psoxy:gcp.deploymentBundle = 'https://example.com/psoxy-gcp-0.6.9.zip'", "neither a gs://bucket/object.zip URI nor an existing local .zip file")]
    [InlineData("deploymentBundle", "bundles/no-such-file.zip", "psoxy:gcp.deploymentBundle = 'bundles/no-such-file.zip'", "neither a gs://bucket/object.zip URI nor an existing local .zip file")]
    [InlineData("deploymentBundle", "gs://psoxy-public-artifacts/", "psoxy:gcp.deploymentBundle = 'gs://psoxy-public-artifacts/'", "neither a gs://bucket/object.zip URI nor an existing local .zip file")]
    public async Task InvalidValue_StopsWithOneClearError(string field, string value, string expectedKeyAndValue, string expectedAllowed)
    {
        var config = StackRun.GcpConfig("outlook-cal");
        var gcp = (Dictionary<string, object>)config["psoxy:gcp"];
        gcp[field] = value;

        await AssertStopsAsync(config, expectedKeyAndValue, expectedAllowed);
    }

    [Theory]
    [InlineData("allUsers")]
    [InlineData("allAuthenticatedUsers")]
    [InlineData("group:admins@contoso.example")]
    [InlineData("alice@contoso.example")]
    [InlineData("domain:contoso.example")]
    public async Task InvokerThatIsNotAUserOrServiceAccount_StopsWithOneClearError(string member)
    {
        var config = StackRun.GcpConfig("outlook-cal");
        ((Dictionary<string, object>)config["psoxy:gcp"])["testPrincipals"] = new[] { member };

        await AssertStopsAsync(config, $"psoxy:gcp.testPrincipals = '{member}'", "'user:<email>' or 'serviceAccount:<email>' (never allUsers or allAuthenticatedUsers)");
    }

    [Fact]
    public async Task WorklyticsInvokerThatIsNotAServiceAccountEmail_StopsWithOneClearError()
    {
        var config = StackRun.GcpConfig("outlook-cal");
        ((Dictionary<string, object>)config["psoxy:gcp"])["worklyticsServiceAccountEmails"] = new[] { "serviceAccount:acme@worklytics.iam.gserviceaccount.com" };

        await AssertStopsAsync(config, "psoxy:gcp.worklyticsServiceAccountEmails = 'serviceAccount:acme@worklytics.iam.gserviceaccount.com'", "the email of a GCP service account");
    }

    private static async Task AssertStopsAsync(Dictionary<string, object> config, string expectedKeyAndValue, string expectedAllowed)
    {
        var cloud = new FakeCloud();
        var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(config, cloud: cloud));

        Assert.StartsWith("Invalid stack configuration (1 problem); nothing was created:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expectedKeyAndValue, e.Message, StringComparison.Ordinal);
        Assert.Contains(expectedAllowed, e.Message, StringComparison.Ordinal);
        Assert.Empty(cloud.Resources);
        // Stopped before even asking the provider anything.
        Assert.DoesNotContain(cloud.Calls, c => c.Token?.StartsWith("gcp:", StringComparison.Ordinal) == true);
    }
}
