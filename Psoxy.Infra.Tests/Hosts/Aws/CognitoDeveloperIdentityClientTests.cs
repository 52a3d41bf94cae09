using System.Net;
using System.Text.Json;
using Psoxy.Infra.Hosts.Aws;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>
/// The Cognito call over real HTTP against <see cref="FakeCognitoServer"/>, which re-verifies every SigV4 signature
/// with its own verifier (<see cref="SigV4Verifier"/>, itself checked against AWS's published example). Each test
/// that reads the environment runs in an <see cref="AwsTestEnvironment"/>; nothing leaves 127.0.0.1.
/// </summary>
public sealed partial class CognitoDeveloperIdentityClientTests
{
    internal const string Region = "us-east-1";
    internal const string PoolId = "us-east-1:11111111-2222-3333-4444-555555555555";
    internal const string Provider = "azure-access";
    internal const string AccessKey = "AKIDTESTACCESSKEY";
    internal const string SecretKey = "test/Secret+Key/0123456789abcdefghijklmn";
    internal const string TempAccessKey = "ASIATEMPACCESSKEY";
    internal const string TempSecretKey = "temp/Secret+Key/abcdefghijklmnopqrstuvwx";
    internal const string SessionToken = "FwoGZXIvYXdzEXAMPLE//session+token==";

    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private static AwsConnectionSettings StaticSettings(FakeCognitoServer server) =>
        new(Region) { AccessKey = AccessKey, SecretKey = SecretKey, Endpoint = server.Endpoint };

    private static CognitoDeveloperIdentityClient NewClient(AwsConnectionSettings settings) =>
        new(settings, new SocketsHttpHandler { UseProxy = false }) { RetryBaseDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task GetIdentityId_SignedRequest_ReturnsCognitosIdForTheLogin()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        using var client = NewClient(StaticSettings(server));

        var id = await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

        Assert.Equal(FakeCognitoServer.ExpectedIdentityId(PoolId, Provider, "client-a"), id);
        var request = Assert.Single(server.Requests);
        Assert.Null(request.Rejection);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Target);
        Assert.Equal("application/x-amz-json-1.1", request.Header("content-type"));
        Assert.Equal("AWSCognitoIdentityService.GetOpenIdTokenForDeveloperIdentity", request.Header("x-amz-target"));
        Assert.Null(request.Header("x-amz-security-token"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(PoolId, body.RootElement.GetProperty("IdentityPoolId").GetString());
        Assert.Equal("client-a", body.RootElement.GetProperty("Logins").GetProperty(Provider).GetString());
        Assert.False(body.RootElement.TryGetProperty("IdentityId", out _));
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/", request.Header("authorization"), StringComparison.Ordinal);
        Assert.Contains($"/{Region}/cognito-identity/aws4_request", request.Header("authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetIdentityId_SameLoginTwice_ReturnsTheSameId()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        using var client = NewClient(StaticSettings(server));

        var first = await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);
        var second = await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);
        var other = await client.GetIdentityIdAsync(PoolId, Provider, "client-b", cts.Token);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Null(r.Rejection));
        Assert.Equal(2, server.RegisteredIdentities);
    }

    [Fact]
    public async Task SessionToken_IsSentAndSigned()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        var settings = new AwsConnectionSettings(Region)
        {
            AccessKey = TempAccessKey,
            SecretKey = TempSecretKey,
            SessionToken = SessionToken,
            Endpoint = server.Endpoint,
        };
        using var client = NewClient(settings);

        var id = await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

        Assert.Equal(FakeCognitoServer.ExpectedIdentityId(PoolId, Provider, "client-a"), id);
        var request = Assert.Single(server.Requests);
        Assert.Null(request.Rejection);
        Assert.Equal(SessionToken, request.Header("x-amz-security-token"));
        Assert.Contains("x-amz-security-token", request.Header("authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemporaryCredentials_WithoutTheirSessionToken_AreRejected()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        var settings = new AwsConnectionSettings(Region) { AccessKey = TempAccessKey, SecretKey = TempSecretKey, Endpoint = server.Endpoint };
        using var client = NewClient(settings);

        var e = await Assert.ThrowsAsync<CognitoIdentityException>(
            () => client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token));

        Assert.Equal("UnrecognizedClientException", e.ErrorType);
    }

    [Fact]
    public async Task WrongSecretKey_FailsSignatureVerification_WithoutRetryOrLeakingTheKey()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        const string wrongSecret = "not-the-right-secret-key-0000000000000000";
        var settings = new AwsConnectionSettings(Region) { AccessKey = AccessKey, SecretKey = wrongSecret, Endpoint = server.Endpoint };
        using var client = NewClient(settings);

        var e = await Assert.ThrowsAsync<CognitoIdentityException>(
            () => client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token));

        Assert.Equal("InvalidSignatureException", e.ErrorType);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Single(server.Requests);
        Assert.DoesNotContain(wrongSecret, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResourceNotFound_IsMappedToCognitoIdentityException_NamingPoolLoginAndError()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        using var client = NewClient(StaticSettings(server));
        const string unknownPool = "us-east-1:99999999-0000-0000-0000-000000000000";

        var e = await Assert.ThrowsAsync<CognitoIdentityException>(
            () => client.GetIdentityIdAsync(unknownPool, Provider, "client-a", cts.Token));

        Assert.Equal("ResourceNotFoundException", e.ErrorType);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains(unknownPool, e.Message, StringComparison.Ordinal);
        Assert.Contains($"{Provider}=client-a", e.Message, StringComparison.Ordinal);
        Assert.Contains("ResourceNotFoundException", e.Message, StringComparison.Ordinal);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, e.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests); // not retried
    }

    [Fact]
    public async Task InternalError_IsRetried_ThenSucceeds()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        server.InjectedFailures.Enqueue((HttpStatusCode.InternalServerError, "InternalErrorException", "Something went wrong"));
        using var client = NewClient(StaticSettings(server));

        var id = await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

        Assert.Equal(FakeCognitoServer.ExpectedIdentityId(PoolId, Provider, "client-a"), id);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Null(r.Rejection)); // the retry was re-signed correctly
    }

    [Fact]
    public async Task Throttling_IsRetried_ThenSucceeds()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        server.InjectedFailures.Enqueue((HttpStatusCode.BadRequest, "TooManyRequestsException", "Rate exceeded"));
        server.InjectedFailures.Enqueue((HttpStatusCode.BadRequest, "TooManyRequestsException", "Rate exceeded"));
        using var client = NewClient(StaticSettings(server));

        var id = await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

        Assert.Equal(FakeCognitoServer.ExpectedIdentityId(PoolId, Provider, "client-a"), id);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task PersistentServerErrors_StopAfterMaxAttempts()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        for (var i = 0; i < 10; i++)
        {
            server.InjectedFailures.Enqueue((HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "Try later"));
        }

        using var client = new CognitoDeveloperIdentityClient(StaticSettings(server), new SocketsHttpHandler { UseProxy = false })
        {
            MaxAttempts = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        };

        var e = await Assert.ThrowsAsync<CognitoIdentityException>(
            () => client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token));

        Assert.Equal("ServiceUnavailable", e.ErrorType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Contains("after 3 attempts", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task ServiceSpecificEndpointVariable_TakesPrecedenceOverGlobalOne()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var cognito = FakeCognitoServer.Start();
        await using var global = FakeCognitoServer.Start();
        using var env = new AwsTestEnvironment();
        env.Set(CognitoDeveloperIdentityClient.ServiceEndpointVariable, cognito.Endpoint.ToString());
        env.Set(CognitoDeveloperIdentityClient.GlobalEndpointVariable, global.Endpoint.ToString());
        using var client = NewClient(new AwsConnectionSettings(Region) { AccessKey = AccessKey, SecretKey = SecretKey });

        var id = await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

        Assert.Equal(FakeCognitoServer.ExpectedIdentityId(PoolId, Provider, "client-a"), id);
        Assert.Equal(cognito.Endpoint, client.Endpoint);
        Assert.Single(cognito.Requests);
        Assert.Empty(global.Requests);
    }

    [Fact]
    public async Task GlobalEndpointVariable_IsUsedWithoutServiceSpecificOne()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var global = FakeCognitoServer.Start();
        using var env = new AwsTestEnvironment();
        env.Set(CognitoDeveloperIdentityClient.GlobalEndpointVariable, global.Endpoint.ToString());
        using var client = NewClient(new AwsConnectionSettings(Region) { AccessKey = AccessKey, SecretKey = SecretKey });

        await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

        var request = Assert.Single(global.Requests);
        Assert.Null(request.Rejection);
    }

    [Fact]
    public void TestEnvironment_IsolatesAndRestoresTheVariables()
    {
        var before = Environment.GetEnvironmentVariable(CognitoDeveloperIdentityClient.ServiceEndpointVariable);
        var home = Environment.GetEnvironmentVariable("HOME");
        string temp;
        using (var env = new AwsTestEnvironment())
        {
            env.Set(CognitoDeveloperIdentityClient.ServiceEndpointVariable, "http://127.0.0.1:9/");
            temp = env.Home;
            Assert.Equal(temp, Environment.GetEnvironmentVariable("HOME"));
            Assert.Equal("true", Environment.GetEnvironmentVariable("AWS_EC2_METADATA_DISABLED"));
        }

        Assert.Equal(before, Environment.GetEnvironmentVariable(CognitoDeveloperIdentityClient.ServiceEndpointVariable));
        Assert.Equal(home, Environment.GetEnvironmentVariable("HOME"));
        Assert.False(Directory.Exists(temp));
    }

    [Theory]
    [InlineData("us-east-1", null, null, null, null, "https://cognito-identity.us-east-1.amazonaws.com/")]
    [InlineData("cn-north-1", null, null, null, null, "https://cognito-identity.cn-north-1.amazonaws.com.cn/")]
    [InlineData("eu-west-1", null, "http://svc.local:4566/", "http://all.local:4566/", null, "http://svc.local:4566/")]
    [InlineData("eu-west-1", null, null, "http://all.local:4566/", null, "http://all.local:4566/")]
    [InlineData("eu-west-1", "https://explicit.local/", "http://svc.local:4566/", "http://all.local:4566/", null, "https://explicit.local/")]
    [InlineData("eu-west-1", null, "http://svc.local:4566/", "http://all.local:4566/", "true", "https://cognito-identity.eu-west-1.amazonaws.com/")]
    public void ResolveEndpoint_FollowsTheSdkPrecedence(
        string region, string? explicitEndpoint, string? serviceVariable, string? globalVariable, string? ignore, string expected)
    {
        var env = new Dictionary<string, string?>
        {
            [CognitoDeveloperIdentityClient.ServiceEndpointVariable] = serviceVariable,
            [CognitoDeveloperIdentityClient.GlobalEndpointVariable] = globalVariable,
            [CognitoDeveloperIdentityClient.IgnoreEndpointsVariable] = ignore,
        };
        var settings = new AwsConnectionSettings(region) { Endpoint = explicitEndpoint is null ? null : new Uri(explicitEndpoint) };

        var endpoint = CognitoDeveloperIdentityClient.ResolveEndpoint(settings, name => env.GetValueOrDefault(name));

        Assert.Equal(new Uri(expected), endpoint);
    }

    [Fact]
    public void ResolveEndpoint_RejectsANonHttpUrl()
    {
        var settings = new AwsConnectionSettings(Region);

        var e = Assert.Throws<CognitoIdentityException>(() => CognitoDeveloperIdentityClient.ResolveEndpoint(
            settings, name => name == CognitoDeveloperIdentityClient.ServiceEndpointVariable ? "ftp://x/" : null));

        Assert.Contains(CognitoDeveloperIdentityClient.ServiceEndpointVariable, e.Message, StringComparison.Ordinal);
    }

    // AWS's published SigV4 example (IAM ListUsers, 2015-08-30T12:36:00Z, AKIDEXAMPLE):
    // the signature as printed in the SigV4 documentation.
    internal const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    internal const string ExampleSignature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    private static readonly (string Name, string Value)[] ExampleHeaders =
    [
        ("Host", "iam.amazonaws.com"),
        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ("X-Amz-Date", "20150830T123600Z"),
    ];

    [Fact]
    public void TestVerifier_ReproducesAwsDocumentationExample()
    {
        var signature = SigV4Verifier.ComputeSignature(
            "GET", "/", "Action=ListUsers&Version=2010-05-08", ExampleHeaders, ["content-type", "host", "x-amz-date"], [],
            ExampleSecret, "20150830T123600Z", "us-east-1", "iam");
        var tampered = SigV4Verifier.ComputeSignature(
            "GET", "/", "Action=ListUsers&Version=2010-05-09", ExampleHeaders, ["content-type", "host", "x-amz-date"], [],
            ExampleSecret, "20150830T123600Z", "us-east-1", "iam");

        Assert.Equal(ExampleSignature, signature);
        Assert.NotEqual(ExampleSignature, tampered);
    }
}
