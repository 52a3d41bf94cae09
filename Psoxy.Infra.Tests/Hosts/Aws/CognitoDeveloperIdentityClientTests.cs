using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Psoxy.Infra.Hosts.Aws;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>
/// Real HTTP against a loopback fake of Cognito Identity that re-verifies every SigV4 signature with
/// its own verifier (<see cref="SigV4Verifier"/>), itself checked against AWS's published example.
/// Tests that change environment variables restore them; nothing leaves 127.0.0.1.
/// </summary>
public sealed class CognitoDeveloperIdentityClientTests
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
    public async Task StaleRequestTime_IsRejectedByTheServer()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        using var client = new CognitoDeveloperIdentityClient(StaticSettings(server), new SocketsHttpHandler { UseProxy = false })
        {
            Clock = new FixedClock(DateTimeOffset.UtcNow.AddHours(-1)),
        };

        var e = await Assert.ThrowsAsync<CognitoIdentityException>(
            () => client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token));

        Assert.Equal("InvalidSignatureException", e.ErrorType);
        Assert.Contains("expired", e.Message, StringComparison.Ordinal);
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
        using var env = new EnvironmentScope(
            (CognitoDeveloperIdentityClient.ServiceEndpointVariable, cognito.Endpoint.ToString()),
            (CognitoDeveloperIdentityClient.GlobalEndpointVariable, global.Endpoint.ToString()),
            (CognitoDeveloperIdentityClient.IgnoreEndpointsVariable, null));
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
        using var env = new EnvironmentScope(
            (CognitoDeveloperIdentityClient.ServiceEndpointVariable, null),
            (CognitoDeveloperIdentityClient.GlobalEndpointVariable, global.Endpoint.ToString()),
            (CognitoDeveloperIdentityClient.IgnoreEndpointsVariable, null));
        using var client = NewClient(new AwsConnectionSettings(Region) { AccessKey = AccessKey, SecretKey = SecretKey });

        await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

        var request = Assert.Single(global.Requests);
        Assert.Null(request.Rejection);
    }

    [Fact]
    public void EnvironmentVariables_AreRestoredByTheScope()
    {
        var before = Environment.GetEnvironmentVariable(CognitoDeveloperIdentityClient.ServiceEndpointVariable);
        using (new EnvironmentScope((CognitoDeveloperIdentityClient.ServiceEndpointVariable, "http://127.0.0.1:9/")))
        {
            Assert.Equal("http://127.0.0.1:9/", Environment.GetEnvironmentVariable(CognitoDeveloperIdentityClient.ServiceEndpointVariable));
        }

        Assert.Equal(before, Environment.GetEnvironmentVariable(CognitoDeveloperIdentityClient.ServiceEndpointVariable));
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

    [Fact]
    public async Task NamedProfile_FromSharedCredentialsFile_SignsWithItsKeys()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        var directory = Directory.CreateTempSubdirectory("cognito-client-test-");
        try
        {
            var credentialsFile = Path.Combine(directory.FullName, "credentials");
            await File.WriteAllTextAsync(
                credentialsFile,
                $"[psoxy-test]\naws_access_key_id = {TempAccessKey}\naws_secret_access_key = {TempSecretKey}\naws_session_token = {SessionToken}\n",
                cts.Token);
            using var env = new EnvironmentScope(
                ("AWS_SHARED_CREDENTIALS_FILE", credentialsFile),
                ("AWS_CONFIG_FILE", Path.Combine(directory.FullName, "config-absent")));
            using var client = NewClient(new AwsConnectionSettings(Region) { Profile = "psoxy-test", Endpoint = server.Endpoint });

            var id = await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

            Assert.Equal(FakeCognitoServer.ExpectedIdentityId(PoolId, Provider, "client-a"), id);
            var request = Assert.Single(server.Requests);
            Assert.Null(request.Rejection);
            Assert.Equal(SessionToken, request.Header("x-amz-security-token"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task UnknownProfile_IsReportedWithoutCallingAws()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        var directory = Directory.CreateTempSubdirectory("cognito-client-test-");
        try
        {
            using var env = new EnvironmentScope(
                ("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(directory.FullName, "credentials-absent")),
                ("AWS_CONFIG_FILE", Path.Combine(directory.FullName, "config-absent")));
            using var client = NewClient(new AwsConnectionSettings(Region) { Profile = "no-such-profile", Endpoint = server.Endpoint });

            var e = await Assert.ThrowsAsync<CognitoIdentityException>(
                () => client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token));

            Assert.Contains("no-such-profile", e.Message, StringComparison.Ordinal);
            Assert.Empty(server.Requests);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DefaultChain_UsesEnvironmentCredentials()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var server = FakeCognitoServer.Start();
        var directory = Directory.CreateTempSubdirectory("cognito-client-test-");
        try
        {
            using var env = new EnvironmentScope(
                ("AWS_ACCESS_KEY_ID", TempAccessKey),
                ("AWS_SECRET_ACCESS_KEY", TempSecretKey),
                ("AWS_SESSION_TOKEN", SessionToken),
                ("AWS_PROFILE", null),
                ("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(directory.FullName, "credentials-absent")),
                ("AWS_CONFIG_FILE", Path.Combine(directory.FullName, "config-absent")));
            using var client = NewClient(new AwsConnectionSettings(Region) { Endpoint = server.Endpoint });

            await client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token);

            var request = Assert.Single(server.Requests);
            Assert.Null(request.Rejection);
            Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={TempAccessKey}/", request.Header("authorization"), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task HalfOfAStaticKeyPair_IsReported()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var settings = new AwsConnectionSettings(Region) { AccessKey = AccessKey, Endpoint = new Uri("http://127.0.0.1:9/") };
        using var client = NewClient(settings);

        var e = await Assert.ThrowsAsync<CognitoIdentityException>(
            () => client.GetIdentityIdAsync(PoolId, Provider, "client-a", cts.Token));

        Assert.Contains("secret key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_ToString_HidesSecrets()
    {
        var settings = new AwsConnectionSettings(Region) { AccessKey = AccessKey, SecretKey = SecretKey, SessionToken = SessionToken };

        var text = settings.ToString();

        Assert.DoesNotContain(SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
        Assert.Contains(Region, text, StringComparison.Ordinal);
    }

    // AWS's published SigV4 example (IAM ListUsers, 2015-08-30T12:36:00Z, AKIDEXAMPLE):
    // hashed canonical request, signing key and signature as printed in the SigV4 documentation.
    internal const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    internal const string ExampleCanonicalRequestHash = "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";
    internal const string ExampleSigningKey = "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9";
    internal const string ExampleSignature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
    private static readonly DateTimeOffset ExampleTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static readonly (string Name, string Value)[] ExampleHeaders =
    [
        ("Host", "iam.amazonaws.com"),
        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ("X-Amz-Date", "20150830T123600Z"),
    ];

    [Fact]
    public void ClientSigner_ReproducesAwsDocumentationExample()
    {
        var signature = SigV4.Sign(
            "GET",
            new Uri("https://iam.amazonaws.com/?Version=2010-05-08&Action=ListUsers"),
            ExampleHeaders.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)),
            SigV4.HexSha256(""),
            "us-east-1",
            "iam",
            "AKIDEXAMPLE",
            ExampleSecret,
            ExampleTime);

        Assert.Equal(ExampleCanonicalRequestHash, SigV4.HexSha256(signature.CanonicalRequest));
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n" + ExampleCanonicalRequestHash,
            signature.StringToSign);
        Assert.Equal(ExampleSignature, signature.Value);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date, Signature=" + ExampleSignature,
            signature.Authorization);
        Assert.Equal(
            ExampleSigningKey,
            Convert.ToHexStringLower(SigV4.SigningKey(ExampleSecret, "20150830", "us-east-1", "iam")));
    }

    [Fact]
    public void ClientSigner_ReproducesAwsSigningKeyExample()
    {
        // The key-derivation example of the SigV4 documentation (2012-02-15, us-east-1, iam).
        Assert.Equal(
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
            Convert.ToHexStringLower(SigV4.SigningKey(ExampleSecret, "20120215", "us-east-1", "iam")));
    }

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

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Sets environment variables (null = unset) and restores the previous values on dispose.</summary>
    private sealed class EnvironmentScope : IDisposable
    {
        private readonly List<(string Name, string? Value)> _previous = [];

        public EnvironmentScope(params (string Name, string? Value)[] variables)
        {
            foreach (var (name, value) in variables)
            {
                _previous.Add((name, Environment.GetEnvironmentVariable(name)));
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            for (var i = _previous.Count - 1; i >= 0; i--)
            {
                Environment.SetEnvironmentVariable(_previous[i].Name, _previous[i].Value);
            }
        }
    }

    /// <summary>
    /// Minimal SigV4 verifier, written separately from the client's signer: it rebuilds the canonical
    /// request from the request as received (raw header lines, raw body) and the SignedHeaders list.
    /// </summary>
    internal static class SigV4Verifier
    {
        public static string ComputeSignature(
            string method,
            string path,
            string query,
            IReadOnlyList<(string Name, string Value)> receivedHeaders,
            IReadOnlyList<string> signedHeaders,
            byte[] body,
            string secretKey,
            string amzDate,
            string region,
            string service)
        {
            var canonical = new StringBuilder();
            canonical.Append(method).Append('\n');
            canonical.Append(EncodePath(path)).Append('\n');
            canonical.Append(CanonicalQuery(query)).Append('\n');
            foreach (var name in signedHeaders)
            {
                var values = receivedHeaders
                    .Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
                    .Select(h => string.Join(' ', h.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
                canonical.Append(name).Append(':').Append(string.Join(",", values)).Append('\n');
            }

            canonical.Append('\n');
            canonical.Append(string.Join(";", signedHeaders)).Append('\n');
            canonical.Append(Hex(Sha256(body)));

            var day = amzDate.Substring(0, 8);
            var stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + day + "/" + region + "/" + service + "/aws4_request\n" +
                Hex(Sha256(Encoding.UTF8.GetBytes(canonical.ToString())));

            var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
            foreach (var part in new[] { day, region, service, "aws4_request" })
            {
                key = Hmac(key, part);
            }

            return Hex(Hmac(key, stringToSign));
        }

        /// <summary>Null when the request's signature is valid, else (Cognito-style error type, message).</summary>
        public static (string Type, string Message)? Check(
            ReceivedRequest request, Dictionary<string, (string Secret, string? Token)> knownKeys, string region, string service)
        {
            var authorization = request.Header("authorization");
            const string prefix = "AWS4-HMAC-SHA256 ";
            if (authorization is null || !authorization.StartsWith(prefix, StringComparison.Ordinal))
            {
                return ("MissingAuthenticationTokenException", "Missing Authentication Token");
            }

            var fields = authorization[prefix.Length..]
                .Split(',', StringSplitOptions.TrimEntries)
                .Select(f => f.Split('=', 2))
                .Where(kv => kv.Length == 2)
                .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
            if (!fields.TryGetValue("Credential", out var credential) ||
                !fields.TryGetValue("SignedHeaders", out var signedHeaderList) ||
                !fields.TryGetValue("Signature", out var signature))
            {
                return ("IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders and Signature.");
            }

            var scope = credential.Split('/');
            var amzDate = request.Header("x-amz-date");
            if (scope.Length != 5 || amzDate is null || amzDate.Length != 16)
            {
                return ("IncompleteSignatureException", "Malformed credential scope or missing X-Amz-Date.");
            }

            if (!knownKeys.TryGetValue(scope[0], out var key))
            {
                return ("UnrecognizedClientException", "The security token included in the request is invalid.");
            }

            if (scope[1] != amzDate[..8] || scope[2] != region || scope[3] != service || scope[4] != "aws4_request")
            {
                return ("InvalidSignatureException", $"Credential should be scoped to a valid region/service: {string.Join('/', scope.Skip(1))}");
            }

            var signedAt = DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            if ((DateTimeOffset.UtcNow - signedAt).Duration() > TimeSpan.FromMinutes(15))
            {
                return ("InvalidSignatureException", "Signature expired.");
            }

            var signedHeaders = signedHeaderList.Split(';');
            foreach (var required in new[] { "host", "x-amz-date" })
            {
                if (!signedHeaders.Contains(required))
                {
                    return ("InvalidSignatureException", $"'{required}' must be a signed header.");
                }
            }

            var token = request.Header("x-amz-security-token");
            if (key.Token != token)
            {
                return ("UnrecognizedClientException", "The security token included in the request is invalid.");
            }

            if (token is not null && !signedHeaders.Contains("x-amz-security-token"))
            {
                return ("InvalidSignatureException", "X-Amz-Security-Token must be signed.");
            }

            var pathAndQuery = request.Target.Split('?', 2);
            var expected = ComputeSignature(
                request.Method, pathAndQuery[0], pathAndQuery.Length > 1 ? pathAndQuery[1] : "", request.Headers, signedHeaders,
                request.Body, key.Secret, amzDate, region, service);
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
                ? null
                : ((string Type, string Message)?)("InvalidSignatureException",
                    "The request signature we calculated does not match the signature you provided.");
        }

        private static string EncodePath(string path) =>
            string.Join("/", path.Split('/').Select(segment => Uri.EscapeDataString(segment)));

        private static string CanonicalQuery(string query)
        {
            var parameters = new List<string>();
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                var name = Uri.EscapeDataString(Uri.UnescapeDataString(parts[0]));
                var value = parts.Length > 1 ? Uri.EscapeDataString(Uri.UnescapeDataString(parts[1])) : "";
                parameters.Add(name + "=" + value);
            }

            parameters.Sort(StringComparer.Ordinal);
            return string.Join("&", parameters);
        }

        private static byte[] Sha256(byte[] data)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(data);
            return hash.GetHashAndReset();
        }

        private static byte[] Hmac(byte[] key, string data)
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            hmac.AppendData(Encoding.UTF8.GetBytes(data));
            return hmac.GetHashAndReset();
        }

        private static string Hex(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                text.Append("0123456789abcdef"[b >> 4]).Append("0123456789abcdef"[b & 0xF]);
            }

            return text.ToString();
        }
    }

    /// <summary>One HTTP request as the fake server received it, and why it was rejected (null = accepted).</summary>
    internal sealed record ReceivedRequest(string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
    {
        public string? Rejection { get; set; }

        public string? Header(string name)
        {
            var values = Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
            return values.Count == 0 ? null : string.Join(",", values);
        }
    }

    /// <summary>
    /// A loopback HTTP/1.1 server answering GetOpenIdTokenForDeveloperIdentity like Cognito Identity:
    /// it validates method, path, content type, target, body and the SigV4 signature, and returns a
    /// deterministic IdentityId per login. One request per connection; every read is time-bounded.
    /// </summary>
    internal sealed class FakeCognitoServer : IAsyncDisposable
    {
        private static readonly Dictionary<string, (string Secret, string? Token)> KnownKeys = new(StringComparer.Ordinal)
        {
            [AccessKey] = (SecretKey, null),
            [TempAccessKey] = (TempSecretKey, SessionToken),
        };

        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _acceptLoop;
        private readonly ConcurrentDictionary<string, string> _identities = new(StringComparer.Ordinal);
        private readonly List<ReceivedRequest> _requests = [];

        private FakeCognitoServer()
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        public Uri Endpoint { get; }

        public ConcurrentQueue<(HttpStatusCode Status, string Type, string Message)> InjectedFailures { get; } = new();

        public IReadOnlyList<ReceivedRequest> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public int RegisteredIdentities => _identities.Count;

        public static FakeCognitoServer Start() => new();

        public static string ExpectedIdentityId(string poolId, string provider, string clientId)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{poolId}\n{provider}\n{clientId}"));
            return $"{poolId.Split(':')[0]}:{new Guid(hash.AsSpan(0, 16))}";
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient connection;
                try
                {
                    connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(connection));
            }
        }

        private async Task ServeAsync(TcpClient connection)
        {
            using var _ = connection;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                var stream = connection.GetStream();
                var request = await ReadRequestAsync(stream, timeout.Token);
                if (request is null)
                {
                    return;
                }

                lock (_requests)
                {
                    _requests.Add(request);
                }

                var (status, body) = Handle(request);
                var payload = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {(int)status} {status}\r\n" +
                    "Content-Type: application/x-amz-json-1.1\r\n" +
                    $"Content-Length: {payload.Length}\r\n" +
                    $"x-amzn-RequestId: {Guid.NewGuid()}\r\n" +
                    "Connection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
                await stream.WriteAsync(payload, timeout.Token);
                await stream.FlushAsync(timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
            }
        }

        private (HttpStatusCode Status, string Body) Handle(ReceivedRequest request)
        {
            (HttpStatusCode, string) Reject(string type, string message)
            {
                request.Rejection = $"{type}: {message}";
                return (HttpStatusCode.BadRequest, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }));
            }

            if (request.Method != "POST" || request.Target != "/")
            {
                return Reject("UnknownOperationException", $"{request.Method} {request.Target}");
            }

            if (request.Header("content-type") != "application/x-amz-json-1.1")
            {
                return Reject("SerializationException", $"Unexpected content type '{request.Header("content-type")}'");
            }

            if (request.Header("x-amz-target") != "AWSCognitoIdentityService.GetOpenIdTokenForDeveloperIdentity")
            {
                return Reject("UnknownOperationException", $"Unexpected target '{request.Header("x-amz-target")}'");
            }

            if (SigV4Verifier.Check(request, KnownKeys, Region, "cognito-identity") is { } signatureError)
            {
                return Reject(signatureError.Type, signatureError.Message);
            }

            string poolId;
            string provider;
            string clientId;
            try
            {
                using var json = JsonDocument.Parse(request.Body);
                var root = json.RootElement;
                var names = root.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
                var logins = root.GetProperty("Logins").EnumerateObject().ToArray();
                if (!names.SequenceEqual(["IdentityPoolId", "Logins"]) || logins.Length != 1)
                {
                    return Reject("InvalidParameterException", "Expected exactly IdentityPoolId and one developer login.");
                }

                poolId = root.GetProperty("IdentityPoolId").GetString()!;
                provider = logins[0].Name;
                clientId = logins[0].Value.GetString()!;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                return Reject("SerializationException", e.Message);
            }

            if (InjectedFailures.TryDequeue(out var failure))
            {
                return (failure.Status, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = failure.Type, ["message"] = failure.Message }));
            }

            if (poolId != PoolId)
            {
                return Reject("ResourceNotFoundException", $"IdentityPool '{poolId}' not found.");
            }

            var identityId = _identities.GetOrAdd($"{provider}={clientId}", _ => ExpectedIdentityId(poolId, provider, clientId));
            return (HttpStatusCode.OK, JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["IdentityId"] = identityId,
                ["Token"] = "eyJraWQiOiJmYWtlIn0.fake-open-id-token." + Convert.ToBase64String(Encoding.UTF8.GetBytes(identityId)),
            }));
        }

        private static async Task<ReceivedRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
        {
            var head = new List<byte>();
            var one = new byte[1];
            while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
            {
                if (await stream.ReadAsync(one, ct) == 0)
                {
                    return null;
                }

                head.Add(one[0]);
                if (head.Count > 64 * 1024)
                {
                    return null;
                }
            }

            var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var requestLine = lines[0].Split(' ');
            var headers = lines
                .Skip(1)
                .Select(line => line.Split(':', 2))
                .Select(parts => (Name: parts[0].Trim(), Value: parts.Length > 1 ? parts[1].Trim() : ""))
                .ToList();
            var lengthHeader = headers.FirstOrDefault(h => string.Equals(h.Name, "content-length", StringComparison.OrdinalIgnoreCase));
            var length = lengthHeader.Name is null ? 0 : int.Parse(lengthHeader.Value, CultureInfo.InvariantCulture);
            var body = new byte[length];
            await stream.ReadExactlyAsync(body, ct);
            return new ReceivedRequest(requestLine[0], requestLine[1], headers, body);
        }
    }
}
