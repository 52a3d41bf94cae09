using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Hosts.Aws;
using Psoxy.Infra.Tests.Testing;
using static Psoxy.Infra.Tests.Hosts.Aws.CognitoDeveloperIdentityClientTests;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>
/// Each credential source the AWS provider accepts reaches the loopback Cognito with the credentials the loopback
/// STS or SSO portal issued for it (Cognito verifies the signature, the access key and the session token against
/// what was issued). Every test runs in an <see cref="AwsTestEnvironment"/>: temp HOME and AWS files, no machine
/// credentials, no instance metadata.
/// </summary>
public sealed class AwsCredentialSourcesTests
{
    private const string AccountId = "123456789012";
    private const string DeployerRole = "arn:aws:iam::123456789012:role/Deployer";
    private const string PsoxyRole = "arn:aws:iam::123456789012:role/PsoxyInfra";
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Calls Cognito once with <paramref name="settings"/> and returns the request it accepted.</summary>
    private static async Task<ReceivedRequest> CallCognitoAsync(FakeCognitoServer cognito, AwsConnectionSettings settings)
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        using var client = new CognitoDeveloperIdentityClient(settings with { Endpoint = cognito.Endpoint }, new SocketsHttpHandler { UseProxy = false })
        {
            MaxAttempts = 1,
        };

        var id = await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

        Assert.Equal(FakeCognitoServer.ExpectedIdentityId(PoolId, Provider, "client-a"), id);
        var request = Assert.Single(cognito.Requests);
        Assert.Null(request.Rejection);
        return request;
    }

    private static async Task<CognitoIdentityException> CallCognitoFailingAsync(FakeCognitoServer cognito, AwsConnectionSettings settings)
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        using var client = new CognitoDeveloperIdentityClient(settings with { Endpoint = cognito.Endpoint }, new SocketsHttpHandler { UseProxy = false })
        {
            MaxAttempts = 1,
        };

        return await Assert.ThrowsAsync<CognitoIdentityException>(() => client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token));
    }

    // The CLI names the cache file by the SHA-1 of the session name (or start URL): a file name, not security.
#pragma warning disable CA5350
    private static string Sha1Hex(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350

    /// <summary>The token file <c>aws sso login</c> leaves in ~/.aws/sso/cache, valid for an hour.</summary>
    private static void WriteSsoToken(AwsTestEnvironment env, string cacheKey, string startUrl)
    {
        var expiresAt = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        env.WriteFile(
            Path.Combine(".aws", "sso", "cache", Sha1Hex(cacheKey) + ".json"),
            $$"""{"startUrl": "{{startUrl}}", "region": "{{Region}}", "accessToken": "{{FakeSsoServer.AccessToken}}", "expiresAt": "{{expiresAt}}"}""");
    }

    [Fact]
    public async Task SsoSessionProfile_UsesTheCachedTokenAndTheRoleCredentialsTheSsoPortalIssues()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        await using var sso = FakeSsoServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_SSO", sso.Endpoint.ToString());
        env.WriteFile(env.ConfigFile, $"""
            [profile psoxy-sso]
            sso_session = corp
            sso_account_id = {AccountId}
            sso_role_name = PsoxyDeployer
            region = {Region}

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = {Region}
            sso_registration_scopes = sso:account:access
            """);
        WriteSsoToken(env, "corp", "https://corp.awsapps.com/start");

        var request = await CallCognitoAsync(cognito, new AwsConnectionSettings(Region) { Profile = "psoxy-sso" });

        var issued = Assert.Single(sso.IssuedAccessKeys);
        Assert.Equal(issued, request.AccessKeyId);
        Assert.NotNull(request.Header("x-amz-security-token"));
    }

    [Fact]
    public async Task LegacySsoProfile_UsesTheTokenCachedForTheStartUrl()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        await using var sso = FakeSsoServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_SSO", sso.Endpoint.ToString());
        env.WriteFile(env.ConfigFile, $"""
            [profile legacy-sso]
            sso_start_url = https://legacy.awsapps.com/start
            sso_region = {Region}
            sso_account_id = {AccountId}
            sso_role_name = PsoxyDeployer
            """);
        WriteSsoToken(env, "https://legacy.awsapps.com/start", "https://legacy.awsapps.com/start");

        var request = await CallCognitoAsync(cognito, new AwsConnectionSettings(Region) { Profile = "legacy-sso" });

        Assert.Equal(Assert.Single(sso.IssuedAccessKeys), request.AccessKeyId);
    }

    [Fact]
    public async Task AssumeRoleProfile_AssumesTheRoleWithTheSourceProfilesKeys()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        await using var sts = FakeStsServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        env.WriteFile(env.CredentialsFile, $"""
            [base]
            aws_access_key_id = {AccessKey}
            aws_secret_access_key = {SecretKey}
            """);
        env.WriteFile(env.ConfigFile, $"""
            [profile deployer]
            role_arn = {DeployerRole}
            source_profile = base
            external_id = deployer-external-id
            role_session_name = deployer-session
            """);

        var request = await CallCognitoAsync(cognito, new AwsConnectionSettings(Region) { Profile = "deployer" });

        var issued = Assert.Single(sts.IssuedCredentials);
        Assert.Equal("AssumeRole", issued.Action);
        Assert.Equal(AccessKey, issued.CallerAccessKey);
        Assert.Equal(DeployerRole, issued.Form["RoleArn"]);
        Assert.Equal("deployer-external-id", issued.Form["ExternalId"]);
        Assert.Equal("deployer-session", issued.Form["RoleSessionName"]);
        Assert.Equal(issued.AccessKey, request.AccessKeyId);
    }

    [Fact]
    public async Task AssumeRolesConfig_AssumesEachRoleInOrder_WithItsExternalIdSessionNameAndDuration()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        await using var sts = FakeStsServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        var config = new Dictionary<string, string>
        {
            ["accessKey"] = AccessKey,
            ["secretKey"] = SecretKey,
            ["assumeRoles"] = $$"""
                [
                  {"roleArn": "{{DeployerRole}}", "externalId": "first-external-id", "sessionName": "first-session", "duration": "1h"},
                  {"roleArn": "{{PsoxyRole}}", "sessionName": "second-session", "duration": "15m"}
                ]
                """,
        };
        var settings = AwsConnectionSettings.FromValues(config.GetValueOrDefault, Region, _ => null);

        var request = await CallCognitoAsync(cognito, settings);

        Assert.Collection(
            sts.IssuedCredentials,
            first =>
            {
                Assert.Equal(AccessKey, first.CallerAccessKey);
                Assert.Equal(DeployerRole, first.Form["RoleArn"]);
                Assert.Equal("first-external-id", first.Form["ExternalId"]);
                Assert.Equal("first-session", first.Form["RoleSessionName"]);
                Assert.Equal("3600", first.Form["DurationSeconds"]);
            },
            second =>
            {
                Assert.Equal(sts.IssuedCredentials[0].AccessKey, second.CallerAccessKey);
                Assert.Equal(PsoxyRole, second.Form["RoleArn"]);
                Assert.False(second.Form.ContainsKey("ExternalId"));
                Assert.Equal("second-session", second.Form["RoleSessionName"]);
                Assert.Equal("900", second.Form["DurationSeconds"]);
            });
        Assert.Equal(sts.IssuedCredentials[1].AccessKey, request.AccessKeyId);
        Assert.All(sts.Requests, r => Assert.Null(r.Rejection));
    }

    [Fact]
    public async Task AssumeRolesConfig_OnTopOfAProfile()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        await using var sts = FakeStsServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        env.WriteFile(env.CredentialsFile, $"[base]\naws_access_key_id = {AccessKey}\naws_secret_access_key = {SecretKey}\n");
        var settings = new AwsConnectionSettings(Region) { Profile = "base", AssumeRoles = [new AwsAssumeRole(PsoxyRole)] };

        var request = await CallCognitoAsync(cognito, settings);

        var issued = Assert.Single(sts.IssuedCredentials);
        Assert.Equal(AccessKey, issued.CallerAccessKey);
        Assert.StartsWith("psoxy-infra-", issued.Form["RoleSessionName"], StringComparison.Ordinal);
        Assert.Equal(issued.AccessKey, request.AccessKeyId);
    }

    [Fact]
    public async Task AssumeRoleRefused_IsReportedNamingTheRole_WithoutCallingCognito()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        await using var sts = FakeStsServer.Start(new FakeKeyRing()); // knows no caller
        env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        var settings = new AwsConnectionSettings(Region) { AccessKey = AccessKey, SecretKey = SecretKey, AssumeRoles = [new AwsAssumeRole(PsoxyRole)] };

        var e = await CallCognitoFailingAsync(cognito, settings);

        Assert.Contains(PsoxyRole, e.Message, StringComparison.Ordinal);
        Assert.Contains("UnrecognizedClientException", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, e.ToString(), StringComparison.Ordinal);
        Assert.Empty(cognito.Requests);
    }

    [Fact]
    public async Task CredentialProcessProfile_UsesTheKeysTheProcessPrints()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        const string processKey = "ASIAPROCESSKEY";
        const string processSecret = "process/secret+key/0123456789";
        const string processToken = "process//session+token==";
        cognito.Keys.Add(processKey, processSecret, processToken);
        var expiration = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var script = env.WriteFile("credential-process.sh", $$"""
            #!/bin/sh
            printf '%s' '{"Version": 1, "AccessKeyId": "{{processKey}}", "SecretAccessKey": "{{processSecret}}", "SessionToken": "{{processToken}}", "Expiration": "{{expiration}}"}'
            """);
        env.WriteFile(env.ConfigFile, $"[profile process]\ncredential_process = /bin/sh {script}\n");

        var request = await CallCognitoAsync(cognito, new AwsConnectionSettings(Region) { Profile = "process" });

        Assert.Equal(processKey, request.AccessKeyId);
        Assert.Equal(processToken, request.Header("x-amz-security-token"));
    }

    [Fact]
    public async Task WebIdentityTokenFile_IsExchangedAtStsForTheRole()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        await using var sts = FakeStsServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", env.WriteFile("web-identity-token", FakeStsServer.WebIdentityToken));
        env.Set("AWS_ROLE_ARN", DeployerRole);
        env.Set("AWS_ROLE_SESSION_NAME", "ci-session");

        var request = await CallCognitoAsync(cognito, new AwsConnectionSettings(Region));

        var issued = Assert.Single(sts.IssuedCredentials);
        Assert.Equal("AssumeRoleWithWebIdentity", issued.Action);
        Assert.Equal(DeployerRole, issued.Form["RoleArn"]);
        Assert.Equal("ci-session", issued.Form["RoleSessionName"]);
        Assert.Equal(issued.AccessKey, request.AccessKeyId);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentityConfig_YieldsTheBaseCredentials_ThenAssumeRolesApplyOnTop()
    {
        // The provider's order (aws-sdk-go-base): the web identity replaces every other base source (the static keys
        // here are not used), and aws:assumeRoles are assumed with what it issued.
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        await using var sts = FakeStsServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        var tokenFile = env.WriteFile("ci-token", FakeStsServer.WebIdentityToken);
        var config = new Dictionary<string, string>
        {
            ["accessKey"] = AccessKey,
            ["secretKey"] = SecretKey,
            ["assumeRoleWithWebIdentity"] = $$"""
                {"roleArn": "{{DeployerRole}}", "sessionName": "ci-session", "webIdentityTokenFile": "{{tokenFile}}",
                 "duration": "30m", "policyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}
                """,
            ["assumeRoles"] = $$"""[{"roleArn": "{{PsoxyRole}}", "sessionName": "psoxy-session"}]""",
        };
        var settings = AwsConnectionSettings.FromValues(config.GetValueOrDefault, Region, _ => null);

        var request = await CallCognitoAsync(cognito, settings);

        Assert.Collection(
            sts.IssuedCredentials,
            web =>
            {
                Assert.Equal("AssumeRoleWithWebIdentity", web.Action);
                Assert.Null(web.CallerAccessKey);
                Assert.Equal(DeployerRole, web.Form["RoleArn"]);
                Assert.Equal("ci-session", web.Form["RoleSessionName"]);
                Assert.Equal("1800", web.Form["DurationSeconds"]);
                Assert.Equal("arn:aws:iam::aws:policy/ReadOnlyAccess", web.Form["PolicyArns.member.1.arn"]);
            },
            role =>
            {
                Assert.Equal("AssumeRole", role.Action);
                Assert.Equal(sts.IssuedCredentials[0].AccessKey, role.CallerAccessKey);
                Assert.Equal(PsoxyRole, role.Form["RoleArn"]);
                Assert.Equal("psoxy-session", role.Form["RoleSessionName"]);
            });
        Assert.Equal(sts.IssuedCredentials[1].AccessKey, request.AccessKeyId);
        Assert.All(sts.Requests, r => Assert.Null(r.Rejection));
        Assert.Contains("aws:assumeRoleWithWebIdentity", AwsCredentialSources.Describe(settings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentityToken_NeverAppearsInErrorsOrText()
    {
        const string WrongToken = "eyJhbGciOiJSUzI1NiJ9.not-the-ci-token.signature";
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        await using var sts = FakeStsServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        var config = new Dictionary<string, string>
        {
            ["assumeRoleWithWebIdentity"] = $$"""{"roleArn": "{{DeployerRole}}", "webIdentityToken": "{{WrongToken}}"}""",
        };
        var settings = AwsConnectionSettings.FromValues(config.GetValueOrDefault, Region, _ => null);

        var e = await CallCognitoFailingAsync(cognito, settings);

        Assert.Contains("aws:assumeRoleWithWebIdentity", e.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidIdentityToken", e.Message, StringComparison.Ordinal);
        Assert.All(sts.Requests, r => Assert.Equal(WrongToken, r.Form()["WebIdentityToken"]));
        Assert.Empty(cognito.Requests);
        foreach (var text in new[] { e.ToString(), settings.ToString(), settings.WebIdentity!.ToString(), AwsCredentialSources.Describe(settings) })
        {
            Assert.DoesNotContain(WrongToken, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StackWithAssumeRoleWithWebIdentity_SignsEachLookupWithItsCredentials_AndKeepsTheTokenOutOfResources()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = AwsTestRun.StartCognito();
        await using var sts = FakeStsServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        env.Set(CognitoDeveloperIdentityClient.ServiceEndpointVariable, cognito.Endpoint.ToString());
        var config = StackRun.AwsConfig("outlook-cal");
        config["aws:assumeRoleWithWebIdentity"] = $$"""{"roleArn": "{{DeployerRole}}", "webIdentityToken": "{{FakeStsServer.WebIdentityToken}}"}""";

        var run = await StackRun.RunAsync(config);

        var issued = Assert.Single(sts.IssuedCredentials);
        Assert.Equal("AssumeRoleWithWebIdentity", issued.Action);
        var request = Assert.Single(cognito.Requests);
        Assert.Null(request.Rejection);
        Assert.Equal(issued.AccessKey, request.AccessKeyId);
        Assert.All(run.Cloud.Resources, r => Assert.DoesNotContain(
            FakeStsServer.WebIdentityToken, System.Text.Json.JsonSerializer.Serialize(r.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString())), StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnvironmentVariables_AreUsedByTheDefaultChain()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        env.Set("AWS_ACCESS_KEY_ID", TempAccessKey);
        env.Set("AWS_SECRET_ACCESS_KEY", TempSecretKey);
        env.Set("AWS_SESSION_TOKEN", SessionToken);

        var request = await CallCognitoAsync(cognito, new AwsConnectionSettings(Region));

        Assert.Equal(TempAccessKey, request.AccessKeyId);
        Assert.Equal(SessionToken, request.Header("x-amz-security-token"));
    }

    [Fact]
    public async Task AwsProfileVariable_SelectsTheProfileForTheDefaultChain()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        env.WriteFile(env.CredentialsFile, $"[from-env]\naws_access_key_id = {AccessKey}\naws_secret_access_key = {SecretKey}\n");
        env.Set("AWS_PROFILE", "from-env");

        var request = await CallCognitoAsync(cognito, new AwsConnectionSettings(Region));

        Assert.Equal(AccessKey, request.AccessKeyId);
    }

    [Fact]
    public async Task StaticKeys_WinOverEnvironmentAndProfile()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();
        env.Set("AWS_ACCESS_KEY_ID", "AKIDNOTTHISONE");
        env.Set("AWS_SECRET_ACCESS_KEY", "not-this-secret");

        var request = await CallCognitoAsync(
            cognito, new AwsConnectionSettings(Region) { AccessKey = TempAccessKey, SecretKey = TempSecretKey, SessionToken = SessionToken, Profile = "absent" });

        Assert.Equal(TempAccessKey, request.AccessKeyId);
        Assert.Equal(SessionToken, request.Header("x-amz-security-token"));
    }

    [Fact]
    public async Task UnknownProfile_IsReportedWithoutCallingAws()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();

        var e = await CallCognitoFailingAsync(cognito, new AwsConnectionSettings(Region) { Profile = "no-such-profile" });

        Assert.Contains("no-such-profile", e.Message, StringComparison.Ordinal);
        Assert.Contains("aws:profile", e.Message, StringComparison.Ordinal);
        Assert.Empty(cognito.Requests);
    }

    [Fact]
    public async Task NoCredentialsAnywhere_IsReportedWithoutCallingAws()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();

        var e = await CallCognitoFailingAsync(cognito, new AwsConnectionSettings(Region));

        Assert.Contains("default credential chain", e.Message, StringComparison.Ordinal);
        Assert.Empty(cognito.Requests);
    }

    [Fact]
    public async Task HalfOfAStaticKeyPair_IsReported()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = FakeCognitoServer.Start();

        var e = await CallCognitoFailingAsync(cognito, new AwsConnectionSettings(Region) { AccessKey = AccessKey });

        Assert.Contains("secret key", e.Message, StringComparison.Ordinal);
        Assert.Empty(cognito.Requests);
    }

    [Fact]
    public async Task StackWithAssumeRolesConfig_SignsEachLookupWithTheAssumedRole()
    {
        using var env = new AwsTestEnvironment();
        await using var cognito = AwsTestRun.StartCognito();
        await using var sts = FakeStsServer.Start(cognito.Keys);
        env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        env.Set(CognitoDeveloperIdentityClient.ServiceEndpointVariable, cognito.Endpoint.ToString());
        var config = StackRun.AwsConfig("outlook-cal");
        config["aws:accessKey"] = AccessKey;
        config["aws:secretKey"] = SecretKey;
        config["aws:assumeRoles"] = $$"""[{"roleArn": "{{PsoxyRole}}", "externalId": "stack-external-id", "sessionName": "stack-session"}]""";

        await StackRun.RunAsync(config);

        var issued = Assert.Single(sts.IssuedCredentials);
        Assert.Equal("stack-external-id", issued.Form["ExternalId"]);
        var request = Assert.Single(cognito.Requests);
        Assert.Null(request.Rejection);
        Assert.Equal(issued.AccessKey, request.AccessKeyId);
    }
}
