using System.Net;
using System.Net.Sockets;
using Psoxy.Infra.Tests.Hosts.Aws;
using Psoxy.Infra.Verification;

namespace Psoxy.Infra.Tests.Verification;

/// <summary>What <c>verify</c> says when its own AWS credentials fail: what happened and what to do, in one message.</summary>
public sealed class VerifyCredentialMessagesTests
{
    private const string CallerRole = "arn:aws:iam::123456789012:role/testCaller";

    [Fact]
    public async Task NoCredentialsAnywhere_IsOneSentenceWithTheFix_NotTheSdksListOfEverySource()
    {
        using var environment = new AwsTestEnvironment();

        var error = await Assert.ThrowsAsync<CallerCredentialsException>(() => new AwsSdkCredentialSource("us-east-1", null).GetCredentialsAsync(CancellationToken.None));

        Assert.StartsWith("no AWS credentials:", error.Message, StringComparison.Ordinal);
        Assert.Contains("aws sso login", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task StsUnreachable_SaysUnreachable_NotThatTheTrustPolicyRefused()
    {
        using var environment = new AwsTestEnvironment();
        environment.Set("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        environment.Set("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        // A loopback port nobody listens on: the connection is refused.
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            environment.Set("AWS_ENDPOINT_URL_STS", $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
            listener.Stop();
        }

        var error = await Assert.ThrowsAsync<CallerCredentialsException>(() => new AwsSdkCredentialSource("us-east-1", CallerRole).GetCredentialsAsync(CancellationToken.None));

        Assert.StartsWith($"could not reach AWS STS (us-east-1) to assume the caller role {CallerRole}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("callerAwsArns", error.Message, StringComparison.Ordinal);
    }
}
