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
    public async Task Gcp_SendsAnIdTokenForTheFunctionsUrl_FromAFunctionAPersonOrAServiceAccountDefines()
    {
        var config = StackRun.GcpConfig("outlook-cal", "msft-entra-id");
        ((Dictionary<string, object>)config["psoxy:gcp"])["testPrincipals"] = new[] { "user:it-admin@contoso.example" };
        var run = await StackRun.RunAsync(config);

        var md = await run.Stack.TestInstructions.ValueAsync();

        foreach (var (connector, source) in new[] { ("outlook-cal", "outlook-cal"), ("msft-entra-id", "azure-ad") })
        {
            var origin = FakeCloud.FunctionUriOf($"test-{connector}");
            var token = $"-H \"Authorization: Bearer $(psoxy_token {origin})\"";
            Assert.Contains($"curl -sS -H \"X-Psoxy-Health-Check: true\" {token} '{origin}/'", md, StringComparison.Ordinal);
            Assert.Contains($"curl -sS {token} '{origin}/v1.0/users?$top=1'", md, StringComparison.Ordinal);
            Assert.Contains($"`\"configuredSource\": \"{source}\"`", md, StringComparison.Ordinal);
        }

        // A person: gcloud refuses --audiences for a user account, and Cloud Run accepts the plain token (Psoxy's
        // tools/psoxy-test sends it so). A service account: a token for the function's URL.
        Assert.Contains("psoxy_token() { gcloud auth print-identity-token; }", md, StringComparison.Ordinal);
        Assert.Contains("# psoxy_token() { gcloud auth print-identity-token --impersonate-service-account=tester@my-project.iam.gserviceaccount.com --audiences=\"$1\" --include-email; }", md, StringComparison.Ordinal);
        Assert.DoesNotContain("print-identity-token --audiences", md, StringComparison.Ordinal);

        // Who may call now, and the key that adds a tester.
        Assert.Contains("`user:it-admin@contoso.example`", md, StringComparison.Ordinal);
        Assert.Contains("pulumi config set --path 'psoxy:gcp.testPrincipals[0]' user:you@example.com", md, StringComparison.Ordinal);
        Assert.DoesNotContain("awscurl", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gcp_NoInvokerConfigured_SaysNobodyCanCall_AndHowToAddATester()
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal"));

        var md = await run.Stack.TestInstructions.ValueAsync();

        Assert.Contains("none is configured, so nobody can", md, StringComparison.Ordinal);
        Assert.Contains("psoxy:gcp.testPrincipals", md, StringComparison.Ordinal);
    }
}
