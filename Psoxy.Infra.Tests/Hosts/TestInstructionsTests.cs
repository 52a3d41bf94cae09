using Psoxy.Infra.Tests.Hosts.Aws;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Hosts;

/// <summary>The <c>testInstructions</c> output: the checks <c>verify</c> makes, as commands with the deployed URLs.</summary>
public sealed class TestInstructionsTests
{
    [Fact]
    public async Task Aws_SignsWithAwscurlForLambdaInTheRegion_AfterAssumingTheCallerRole()
    {
        var run = await AwsTestRun.RunAsync(AwsTestRun.Config("outlook-cal", "msft-teams"));

        var md = await run.Stack.TestInstructions.ValueAsync();

        Assert.Contains("aws sts assume-role --role-arn arn:aws:iam::123456789012:role/testCaller --role-session-name psoxy-test", md, StringComparison.Ordinal);
        var calendar = FakeCloud.FunctionUrlOf(AwsTestRun.Region, "test-outlook-cal");
        var teams = FakeCloud.FunctionUrlOf(AwsTestRun.Region, "test-msft-teams");
        Assert.Contains("## Outlook Calendar (`outlook-cal`)", md, StringComparison.Ordinal);
        Assert.Contains($"awscurl --service lambda --region us-east-1 -H \"X-Psoxy-Health-Check: true\" '{calendar}'", md, StringComparison.Ordinal);
        Assert.Contains($"awscurl --service lambda --region us-east-1 '{calendar}v1.0/users?$top=1'", md, StringComparison.Ordinal);
        Assert.Contains($"awscurl --service lambda --region us-east-1 '{teams}v1.0/teams?$top=1'", md, StringComparison.Ordinal);
        Assert.Contains("`\"configuredSource\": \"outlook-cal\"`", md, StringComparison.Ordinal);
        Assert.Contains("verify --stack", md, StringComparison.Ordinal);
        Assert.DoesNotContain("gcloud", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gcp_SendsAnIdTokenForTheFunctionsUrl()
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal", "msft-entra-id"));

        var md = await run.Stack.TestInstructions.ValueAsync();

        foreach (var (connector, source) in new[] { ("outlook-cal", "outlook-cal"), ("msft-entra-id", "azure-ad") })
        {
            var origin = FakeCloud.FunctionUriOf($"test-{connector}");
            var token = $"-H \"Authorization: Bearer $(gcloud auth print-identity-token --audiences={origin})\"";
            Assert.Contains($"curl -sS -H \"X-Psoxy-Health-Check: true\" {token} '{origin}/'", md, StringComparison.Ordinal);
            Assert.Contains($"curl -sS {token} '{origin}/v1.0/users?$top=1'", md, StringComparison.Ordinal);
            Assert.Contains($"`\"configuredSource\": \"{source}\"`", md, StringComparison.Ordinal);
        }

        Assert.Contains("psoxy:gcp.testPrincipals", md, StringComparison.Ordinal);
        Assert.DoesNotContain("awscurl", md, StringComparison.Ordinal);
    }

}
