using Psoxy.Infra.Configuration;
using Psoxy.Infra.Hosts.Aws;
using Pulumi;
using static Psoxy.Infra.Tests.Hosts.Aws.CognitoDeveloperIdentityClientTests;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>Reading the AWS provider's configuration into <see cref="AwsConnectionSettings"/>.</summary>
public sealed class AwsConnectionSettingsTests
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/Deployer";

    private static AwsConnectionSettings Read(Dictionary<string, string> config, string? configuredRegion = null, Dictionary<string, string>? environment = null) =>
        AwsConnectionSettings.FromValues(config.GetValueOrDefault, configuredRegion, name => environment?.GetValueOrDefault(name));

    private static Dictionary<string, string> WithRoles(string json) => new() { ["region"] = Region, ["assumeRoles"] = json };

    [Fact]
    public void ReadsCredentialsAndProfile()
    {
        var settings = Read(new()
        {
            ["region"] = "eu-west-1",
            ["accessKey"] = AccessKey,
            ["secretKey"] = SecretKey,
            ["token"] = SessionToken,
            ["profile"] = "deployer",
        });

        Assert.Equal("eu-west-1", settings.Region);
        Assert.Equal(AccessKey, settings.AccessKey);
        Assert.Equal(SecretKey, settings.SecretKey);
        Assert.Equal(SessionToken, settings.SessionToken);
        Assert.Equal("deployer", settings.Profile);
        Assert.Empty(settings.AssumeRoles);
    }

    [Fact]
    public void Region_PsoxyThenProviderThenEnvironment()
    {
        Assert.Equal("eu-central-1", Read(new() { ["region"] = "eu-west-1" }, "eu-central-1").Region);
        Assert.Equal("eu-west-1", Read(new() { ["region"] = "eu-west-1" }, null, new() { ["AWS_REGION"] = "us-west-2" }).Region);
        Assert.Equal("us-west-2", Read(new(), null, new() { ["AWS_REGION"] = "us-west-2", ["AWS_DEFAULT_REGION"] = "ap-south-1" }).Region);
        Assert.Equal("ap-south-1", Read(new(), null, new() { ["AWS_DEFAULT_REGION"] = "ap-south-1" }).Region);
        var e = Assert.Throws<RunException>(() => Read(new()));
        Assert.Contains("aws:region", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssumeRoles_AreReadInOrderWithEveryField()
    {
        var settings = Read(WithRoles($$"""
            [
              {"roleArn": "{{RoleArn}}", "externalId": "ext", "sessionName": "psoxy-deploy", "duration": "1h30m",
               "policy": "{\"Version\":\"2012-10-17\"}", "policyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
               "tags": {"team": "psoxy"}, "transitiveTagKeys": ["team"], "sourceIdentity": "alice"},
              {"roleArn": "arn:aws-us-gov:iam::210987654321:role/Second", "duration": "15m"}
            ]
            """));

        Assert.Collection(
            settings.AssumeRoles,
            first =>
            {
                Assert.Equal(RoleArn, first.RoleArn);
                Assert.Equal("ext", first.ExternalId);
                Assert.Equal("psoxy-deploy", first.SessionName);
                Assert.Equal(TimeSpan.FromMinutes(90), first.Duration);
                Assert.Equal("{\"Version\":\"2012-10-17\"}", first.Policy);
                Assert.Equal("arn:aws:iam::aws:policy/ReadOnlyAccess", Assert.Single(first.PolicyArns));
                Assert.Equal("psoxy", first.Tags["team"]);
                Assert.Equal("team", Assert.Single(first.TransitiveTagKeys));
                Assert.Equal("alice", first.SourceIdentity);
            },
            second =>
            {
                Assert.Equal("arn:aws-us-gov:iam::210987654321:role/Second", second.RoleArn);
                Assert.Equal(TimeSpan.FromMinutes(15), second.Duration);
                Assert.Null(second.ExternalId);
                Assert.Null(second.SessionName);
            });
    }

    [Fact]
    public void SingularAssumeRole_IsRefused_NamingAssumeRoles()
    {
        var e = Assert.Throws<RunException>(() => Read(new() { ["region"] = Region, ["assumeRole"] = $$"""{"roleArn": "{{RoleArn}}", "externalId": "ext"}""" }));

        Assert.Contains("aws:assumeRole = '[value not shown]': not a key of the AWS provider v7", e.Message, StringComparison.Ordinal);
        Assert.Contains("aws:assumeRoles[0].roleArn", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("15m", 900)]
    [InlineData("1h30m", 5400)]
    [InlineData("900s", 900)]
    [InlineData("12h", 43200)]
    [InlineData("1.5h", 5400)]
    [InlineData("1h0m0s", 3600)]
    [InlineData("+45m", 2700)]
    [InlineData("900000ms", 900)]
    [InlineData("1800000000us", 1800)]
    [InlineData("1800000000µs", 1800)]
    [InlineData("3600000000000ns", 3600)]
    public void Duration_AcceptsGoDurations(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), AwsAssumeRole.ParseDuration(text));

    [Theory]
    [InlineData("900")]
    [InlineData("43200")]
    [InlineData("1d")]
    [InlineData("h")]
    [InlineData("-1h")]
    [InlineData("1 h")]
    [InlineData("")]
    public void Duration_RefusesBareSecondsAndWhatGoWouldNotParse(string text) => Assert.Null(AwsAssumeRole.ParseDuration(text));

    [Theory]
    [InlineData("""{"roleArn": "x"}""", "aws:assumeRoles", "a JSON array")]
    [InlineData("not json", "aws:assumeRoles", "a JSON array")]
    [InlineData("""["arn:aws:iam::123456789012:role/Deployer"]""", "aws:assumeRoles[0]", "a JSON object")]
    [InlineData("""[{"externalId": "ext"}]""", "aws:assumeRoles[0].roleArn", "IAM role ARN")]
    [InlineData("""[{"roleArn": "arn:aws:iam::123:role/Short"}]""", "aws:assumeRoles[0].roleArn", "IAM role ARN")]
    [InlineData("""[{"roleArn": "arn:aws:iam::123456789012:role/Deployer", "duration": "2d"}]""", "aws:assumeRoles[0].duration", "15m to 12h")]
    [InlineData("""[{"roleArn": "arn:aws:iam::123456789012:role/Deployer", "duration": "5m"}]""", "aws:assumeRoles[0].duration", "15m to 12h")]
    [InlineData("""[{"roleArn": "arn:aws:iam::123456789012:role/Deployer", "duration": "13h"}]""", "aws:assumeRoles[0].duration", "15m to 12h")]
    [InlineData("""[{"roleArn": "arn:aws:iam::123456789012:role/Deployer", "sessionName": "has space"}]""", "aws:assumeRoles[0].sessionName", "2 to 64 characters")]
    [InlineData("""[{"roleArn": "arn:aws:iam::123456789012:role/Deployer", "externalId": 42}]""", "aws:assumeRoles[0].externalId", "a string")]
    [InlineData("""[{"roleArn": "arn:aws:iam::123456789012:role/Deployer", "role_arn": "x"}]""", "aws:assumeRoles[0].role_arn", "allowed fields: roleArn")]
    [InlineData("""[{"roleArn": "arn:aws:iam::123456789012:role/Deployer", "tags": {"a": 1}}]""", "aws:assumeRoles[0].tags", "string values")]
    public void BadAssumeRoles_AreReportedNamingKeyValueAndWhatIsAllowed(string json, string names, string allowed)
    {
        var config = WithRoles(json);
        config["secretKey"] = SecretKey;

        var e = Assert.Throws<RunException>(() => Read(config));

        Assert.Contains(names, e.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadDuration_MessageQuotesTheValue()
    {
        var e = Assert.Throws<RunException>(() => Read(WithRoles($$"""[{"roleArn": "{{RoleArn}}", "duration": "2d"}]""")));

        Assert.Equal(
            "Invalid stack configuration (1 problem); nothing was created:" + Environment.NewLine +
            "  - aws:assumeRoles[0].duration = '\"2d\"': allowed: a Go duration from 15m to 12h, as the AWS provider documents (units ns, us, ms, s, m, h), e.g. \"1h\", \"15m\", \"1h30m\" (not bare seconds)",
            e.Message);
    }

    [Fact]
    public void ToString_HidesSecrets_AndNamesTheRoles()
    {
        var settings = Read(new()
        {
            ["region"] = Region,
            ["accessKey"] = AccessKey,
            ["secretKey"] = SecretKey,
            ["token"] = SessionToken,
            ["assumeRoles"] = $$"""[{"roleArn": "{{RoleArn}}", "externalId": "ext"}]""",
        });

        var text = settings.ToString();

        Assert.DoesNotContain(SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
        Assert.Contains(Region, text, StringComparison.Ordinal);
        Assert.Contains(RoleArn, text, StringComparison.Ordinal);
    }
}
