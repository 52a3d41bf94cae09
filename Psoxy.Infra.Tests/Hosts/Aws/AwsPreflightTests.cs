using Psoxy.Infra.Hosts.Aws;
using Psoxy.Infra.Tests.Testing;
using Pulumi;
using static Psoxy.Infra.Tests.Hosts.Aws.AwsTestRun;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>What stops an AWS deployment before anything is declared: the wrong account, or invalid <c>psoxy:aws</c>.</summary>
public sealed class AwsPreflightTests
{
    [Fact]
    public async Task CredentialsOfAnotherAccount_StopTheProgram_BeforeAnyResource()
    {
        var cloud = new FakeCloud { AwsAccountId = "210987654321" };
        var e = await Assert.ThrowsAsync<RunException>(() => RunAsync(Config("outlook-cal"), cloud: cloud));

        Assert.Equal(
            "psoxy:aws.accountId is '123456789012' but the AWS credentials are for account '210987654321' (arn:aws:iam::210987654321:user/deployer); nothing was created. Use credentials for account 123456789012, or correct psoxy:aws.accountId.",
            e.Message);
        Assert.Empty(cloud.Resources);
        // Asked once, before anything else.
        Assert.Equal("aws:index/getCallerIdentity:getCallerIdentity", Assert.Single(cloud.Calls).Token);
    }

    [Fact]
    public async Task CredentialsOfTheConfiguredAccount_AreCheckedFirst_ThenTheStackIsDeclared()
    {
        var run = await RunAsync(Config("outlook-cal"), preview: true);

        Assert.Equal("aws:index/getCallerIdentity:getCallerIdentity", run.Cloud.Calls.First().Token);
        Assert.NotEmpty(run.Cloud.Resources);
    }

    [Fact]
    public async Task FailingIdentityCheck_StopsTheProgram_NamingTheAccount()
    {
        var cloud = new ThrowingCallerIdentity();
        var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(Config("outlook-cal"), mocks: cloud, cloud: cloud.Cloud));

        Assert.StartsWith("Could not check that the AWS credentials are for account 123456789012 (psoxy:aws.accountId): ", e.Message, StringComparison.Ordinal);
        Assert.Contains("no valid credential sources", e.Message, StringComparison.Ordinal);
        Assert.Empty(cloud.Cloud.Resources);
    }

    [Fact]
    public async Task NoRegionAnywhere_StopsTheProgram_BeforeAnyResource()
    {
        var config = Config("outlook-cal");
        config.Remove("aws:region");
        var saved = new[] { "AWS_REGION", "AWS_DEFAULT_REGION" }.Select(v => (v, Environment.GetEnvironmentVariable(v))).ToList();
        saved.ForEach(s => Environment.SetEnvironmentVariable(s.v, null));
        try
        {
            var cloud = new FakeCloud();
            var e = await Assert.ThrowsAsync<RunException>(() => RunAsync(config, cloud: cloud));

            Assert.StartsWith("No AWS region: set psoxy:aws.region or aws:region", e.Message, StringComparison.Ordinal);
            Assert.Empty(cloud.Resources);
        }
        finally
        {
            saved.ForEach(s => Environment.SetEnvironmentVariable(s.v, s.Item2));
        }
    }

    [Fact]
    public async Task NoAccountReported_StopsTheProgram_BeforeAnyResource()
    {
        var cloud = new FakeCloud { AwsAccountId = "" };
        var e = await Assert.ThrowsAsync<RunException>(() => RunAsync(Config("outlook-cal"), cloud: cloud));

        Assert.Equal(
            "Could not check that the AWS credentials are for account 123456789012 (psoxy:aws.accountId): the AWS provider reported no account; nothing was created.",
            e.Message);
        Assert.Empty(cloud.Resources);
    }

    [Theory]
    [InlineData("accountId", "12345678901", "psoxy:aws.accountId = '12345678901'")]
    [InlineData("accountId", "1234567890123", "psoxy:aws.accountId = '1234567890123'")]
    [InlineData("deploymentBundle", "https://example.com/psoxy-aws-0.6.9.jar", "psoxy:aws.deploymentBundle = 'https://example.com/psoxy-aws-0.6.9.jar'")]
    [InlineData("deploymentBundle", "bundles/missing-psoxy-aws.jar", "psoxy:aws.deploymentBundle = 'bundles/missing-psoxy-aws.jar'")]
    [InlineData("deploymentBundle", "s3://psoxy-public-artifacts-us-east-1/", "psoxy:aws.deploymentBundle = 's3://psoxy-public-artifacts-us-east-1/'")]
    [InlineData("callerGcpServiceAccountIds", "12345678901234567890", "psoxy:aws.callerGcpServiceAccountIds")]
    [InlineData("callerGcpServiceAccountIds", "1234567890123456789012", "psoxy:aws.callerGcpServiceAccountIds")]
    [InlineData("callerGcpServiceAccountIds", "psoxy@example.iam.gserviceaccount.com", "psoxy:aws.callerGcpServiceAccountIds")]
    public async Task InvalidAwsSettings_StopTheProgram_WithOneClearError_BeforeAnyResource(string field, string value, string expected)
    {
        object setting = field == "callerGcpServiceAccountIds" ? new[] { value } : value;
        var config = Config("outlook-cal").WithAws((field, setting));
        var cloud = new FakeCloud();
        var e = await Assert.ThrowsAsync<RunException>(() => RunAsync(config, cloud: cloud));

        Assert.StartsWith("Invalid stack configuration (1 problem); nothing was created:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
        Assert.Empty(cloud.Resources);
        // Invalid configuration is reported before the credentials are even used.
        Assert.Empty(cloud.Calls);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:user/deployer", "aws")]
    [InlineData("arn:aws-cn:sts::123456789012:assumed-role/deployer/session", "aws-cn")]
    [InlineData("arn:aws-us-gov:iam::123456789012:root", "aws-us-gov")]
    [InlineData("", "aws")]
    public void Partition_IsReadFromTheCallerArn(string arn, string partition) =>
        Assert.Equal(partition, AwsPreflight.PartitionOf(arn));

    [Fact]
    public async Task Partition_FromTheCredentials_IsUsedInEveryBuiltArn()
    {
        var cloud = new FakeCloud { CallerArnPartition = "aws-us-gov" };
        var run = await RunAsync(Config("outlook-cal"), preview: true, cloud: cloud);

        var attachment = run.Inputs(AttachmentType, "outlook-cal-basic-execution");
        Assert.Equal("arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", attachment["policyArn"]);
        var invoke = PolicyStatement.Parse((string)run.Inputs(RolePolicyType, "aws-caller-access")["policy"]).Single();
        Assert.Equal(["arn:aws-us-gov:lambda:us-east-1:123456789012:function:test-outlook-cal"], invoke.Resources);
        var access = PolicyStatement.Parse((string)run.Inputs(RolePolicyType, "outlook-cal-resource-access")["policy"]);
        Assert.All(access.SelectMany(s => s.Resources).Where(r => r.Contains(":ssm:", StringComparison.Ordinal)),
            r => Assert.StartsWith("arn:aws-us-gov:ssm:us-east-1:123456789012:parameter/psoxy/test/", r, StringComparison.Ordinal));
    }

    /// <summary>Mocks whose AWS credentials are missing: the caller identity invoke fails as the provider would.</summary>
    private sealed class ThrowingCallerIdentity : Pulumi.Testing.IMocks
    {
        public FakeCloud Cloud { get; } = new();

        public Task<(string? id, object state)> NewResourceAsync(Pulumi.Testing.MockResourceArgs args) => Cloud.NewResourceAsync(args);

        public Task<object> CallAsync(Pulumi.Testing.MockCallArgs args) =>
            args.Token == "aws:index/getCallerIdentity:getCallerIdentity"
                ? throw new InvalidOperationException("no valid credential sources for AWS Provider found")
                : Cloud.CallAsync(args);
    }
}
