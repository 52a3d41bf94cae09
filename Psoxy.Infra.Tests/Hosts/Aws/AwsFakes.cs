using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>One HTTP request as a fake server received it, and why it was rejected (null = accepted).</summary>
internal sealed record ReceivedRequest(string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public string? Rejection { get; set; }

    public string Path => Target.Split('?', 2)[0];

    public string Query => Target.Contains('?', StringComparison.Ordinal) ? Target.Split('?', 2)[1] : "";

    /// <summary>The access key id of the SigV4 Authorization header, if any.</summary>
    public string? AccessKeyId
    {
        get
        {
            var authorization = Header("authorization");
            const string marker = "Credential=";
            var at = authorization?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
            return at < 0 ? null : authorization![(at + marker.Length)..].Split('/')[0];
        }
    }

    public string? Header(string name)
    {
        var values = Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(",", values);
    }

    /// <summary>The form fields of an <c>application/x-www-form-urlencoded</c> body.</summary>
    public Dictionary<string, string> Form()
    {
        var form = HttpUtility.ParseQueryString(Encoding.UTF8.GetString(Body));
        return form.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => form[k]!, StringComparer.Ordinal);
    }
}

/// <summary>The credentials the fakes accept: access key id -> (secret, session token). STS and SSO fakes add what they issue.</summary>
internal sealed class FakeKeyRing
{
    private readonly ConcurrentDictionary<string, (string Secret, string? Token)> _keys = new(StringComparer.Ordinal);

    public void Add(string accessKey, string secret, string? token) => _keys[accessKey] = (secret, token);

    public bool TryGet(string accessKey, out (string Secret, string? Token) key) => _keys.TryGetValue(accessKey, out key);

    /// <summary>Issues a new temporary key pair, accepted from now on.</summary>
    public (string AccessKey, string Secret, string Token) Issue(string prefix)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        var issued = ($"ASIA{prefix}{id}", $"secret/{prefix}/{id}+{Guid.NewGuid():N}", $"token//{prefix}/{id}==");
        Add(issued.Item1, issued.Item2, issued.Item3);
        return issued;
    }
}

/// <summary>
/// A loopback HTTP/1.1 server: one request per connection, every read time-bounded, each request recorded and
/// answered by <see cref="Handle"/>. Nothing leaves 127.0.0.1.
/// </summary>
internal abstract class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<ReceivedRequest> _requests = [];

    protected LoopbackHttpServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public Uri Endpoint { get; }

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
        GC.SuppressFinalize(this);
    }

    protected abstract (HttpStatusCode Status, string ContentType, string Body) Handle(ReceivedRequest request);

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

            var (status, contentType, body) = Handle(request);
            var payload = Encoding.UTF8.GetBytes(body);
            var head = $"HTTP/1.1 {(int)status} {status}\r\n" +
                $"Content-Type: {contentType}\r\n" +
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

    private static async Task<ReceivedRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await stream.ReadAsync(one, ct) == 0 || head.Count > 64 * 1024)
            {
                return null;
            }

            head.Add(one[0]);
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

/// <summary>
/// A loopback STS answering the query API's <c>AssumeRole</c> (SigV4-verified against the key ring) and
/// <c>AssumeRoleWithWebIdentity</c> (unsigned; the token must be <see cref="WebIdentityToken"/>) with fresh keys.
/// </summary>
internal sealed class FakeStsServer : LoopbackHttpServer
{
    private const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly FakeKeyRing _keys;
    private readonly string _region;
    private readonly List<Issued> _issued = [];

    private FakeStsServer(FakeKeyRing keys, string region)
    {
        _keys = keys;
        _region = region;
    }

    public const string WebIdentityToken = "eyJhbGciOiJSUzI1NiJ9.ci-web-identity.signature";

    /// <summary>What was issued, in order: the action, its form fields, the caller's key and the new access key.</summary>
    public IReadOnlyList<Issued> IssuedCredentials
    {
        get
        {
            lock (_issued)
            {
                return [.. _issued];
            }
        }
    }

    public static FakeStsServer Start(FakeKeyRing keys, string region = CognitoDeveloperIdentityClientTests.Region) => new(keys, region);

    protected override (HttpStatusCode Status, string ContentType, string Body) Handle(ReceivedRequest request)
    {
        (HttpStatusCode, string, string) Reject(string code, string message)
        {
            request.Rejection = $"{code}: {message}";
            return (HttpStatusCode.BadRequest, "text/xml",
                $"<ErrorResponse xmlns=\"{Namespace}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>");
        }

        if (request.Method != "POST" || request.Header("content-type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
        {
            return Reject("InvalidAction", $"expected a form POST, got {request.Method} {request.Header("content-type")}");
        }

        var form = request.Form();
        var action = form.GetValueOrDefault("Action");
        string? caller = null;
        if (action == "AssumeRole")
        {
            if (SigV4Verifier.Check(request, _keys, _region, "sts") is { } error)
            {
                return Reject(error.Type, error.Message);
            }

            caller = request.AccessKeyId;
        }
        else if (action == "AssumeRoleWithWebIdentity")
        {
            if (form.GetValueOrDefault("WebIdentityToken") != WebIdentityToken)
            {
                return Reject("InvalidIdentityToken", "The web identity token is not the one the test wrote.");
            }
        }
        else
        {
            return Reject("InvalidAction", $"unexpected action '{action}'");
        }

        var (accessKey, secret, token) = _keys.Issue("STS");
        lock (_issued)
        {
            _issued.Add(new Issued(action, form, caller, accessKey));
        }

        var expiration = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var roleArn = form.GetValueOrDefault("RoleArn");
        var session = form.GetValueOrDefault("RoleSessionName");
        var extra = action == "AssumeRoleWithWebIdentity"
            ? "<SubjectFromWebIdentityToken>ci</SubjectFromWebIdentityToken><Provider>ci.example</Provider><Audience>sts.amazonaws.com</Audience>"
            : "";
        return (HttpStatusCode.OK, "text/xml",
            $"<{action}Response xmlns=\"{Namespace}\"><{action}Result>" +
            $"<Credentials><AccessKeyId>{accessKey}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>" +
            $"<SessionToken>{token}</SessionToken><Expiration>{expiration}</Expiration></Credentials>" +
            $"<AssumedRoleUser><AssumedRoleId>AROATEST:{session}</AssumedRoleId><Arn>{roleArn}/{session}</Arn></AssumedRoleUser>{extra}" +
            $"</{action}Result><ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></{action}Response>");
    }

    internal sealed record Issued(string Action, IReadOnlyDictionary<string, string> Form, string? CallerAccessKey, string AccessKey);
}

/// <summary>A loopback IAM Identity Center portal answering <c>GetRoleCredentials</c> for one bearer token.</summary>
internal sealed class FakeSsoServer : LoopbackHttpServer
{
    private readonly FakeKeyRing _keys;
    private readonly List<string> _issued = [];

    private FakeSsoServer(FakeKeyRing keys) => _keys = keys;

    public const string AccessToken = "sso-access-token-from-the-cli-cache";

    public IReadOnlyList<string> IssuedAccessKeys
    {
        get
        {
            lock (_issued)
            {
                return [.. _issued];
            }
        }
    }

    public static FakeSsoServer Start(FakeKeyRing keys) => new(keys);

    protected override (HttpStatusCode Status, string ContentType, string Body) Handle(ReceivedRequest request)
    {
        (HttpStatusCode, string, string) Reject(HttpStatusCode status, string type, string message)
        {
            request.Rejection = $"{type}: {message}";
            return (status, "application/json", JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }));
        }

        if (request.Method != "GET" || request.Path != "/federation/credentials")
        {
            return Reject(HttpStatusCode.NotFound, "NotFound", $"{request.Method} {request.Path}");
        }

        if (request.Header("x-amz-sso_bearer_token") != AccessToken)
        {
            return Reject(HttpStatusCode.Unauthorized, "UnauthorizedException", "Session token not found or invalid");
        }

        var query = HttpUtility.ParseQueryString(request.Query);
        if (query["account_id"] != "123456789012" || query["role_name"] != "PsoxyDeployer")
        {
            return Reject(HttpStatusCode.Forbidden, "ForbiddenException", $"No access to {query["account_id"]}/{query["role_name"]}");
        }

        var (accessKey, secret, token) = _keys.Issue("SSO");
        lock (_issued)
        {
            _issued.Add(accessKey);
        }

        return (HttpStatusCode.OK, "application/json", JsonSerializer.Serialize(new
        {
            roleCredentials = new
            {
                accessKeyId = accessKey,
                secretAccessKey = secret,
                sessionToken = token,
                expiration = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(),
            },
        }));
    }
}

/// <summary>
/// Minimal SigV4 verifier, written separately from the SDK's signer: it rebuilds the canonical request from the
/// request as received (raw header lines, raw body) and the SignedHeaders list.
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
        canonical.Append(Convert.ToHexStringLower(SHA256.HashData(body)));

        var day = amzDate[..8];
        var stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + day + "/" + region + "/" + service + "/aws4_request\n" +
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));

        var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (var part in new[] { day, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>Null when the request's signature is valid for a key of the ring, else (AWS-style error type, message).</summary>
    public static (string Type, string Message)? Check(ReceivedRequest request, FakeKeyRing keys, string region, string service)
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

        if (!keys.TryGet(scope[0], out var key))
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

        var expected = ComputeSignature(
            request.Method, request.Path, request.Query, request.Headers, signedHeaders, request.Body, key.Secret, amzDate, region, service);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
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
}

/// <summary>
/// Isolates a test from the machine's AWS setup: a temp HOME with empty <c>.aws/config</c> and
/// <c>.aws/credentials</c> (named by <c>AWS_SHARED_CREDENTIALS_FILE</c>), every credential and endpoint variable
/// cleared, instance metadata off, region us-east-1. Restores every variable and deletes the directory on dispose.
/// <c>AWS_CONFIG_FILE</c> is cleared rather than pointed at the temp file: the SDK keeps the first config path it
/// saw for the life of the process, while it reads the <c>config</c> beside the credentials file afresh.
/// </summary>
internal sealed class AwsTestEnvironment : IDisposable
{
    private static readonly string[] Cleared =
    [
        "AWS_CONFIG_FILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_DEFAULT_REGION", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO",
        "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_ENDPOINT_URL_COGNITO_IDENTITY", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_STS_REGIONAL_ENDPOINTS", "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
    ];

    private readonly Dictionary<string, string?> _previous = new(StringComparer.Ordinal);
    private readonly DirectoryInfo _home;

    public AwsTestEnvironment()
    {
        _home = Directory.CreateTempSubdirectory("psoxy-aws-test-");
        Directory.CreateDirectory(System.IO.Path.Combine(_home.FullName, ".aws", "sso", "cache"));
        ConfigFile = System.IO.Path.Combine(_home.FullName, ".aws", "config");
        CredentialsFile = System.IO.Path.Combine(_home.FullName, ".aws", "credentials");
        File.WriteAllText(ConfigFile, "");
        File.WriteAllText(CredentialsFile, "");
        foreach (var name in Cleared)
        {
            Set(name, null);
        }

        Set("HOME", _home.FullName);
        Set("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
        Set("AWS_EC2_METADATA_DISABLED", "true");
        Set("AWS_REGION", CognitoDeveloperIdentityClientTests.Region);
    }

    public string Home => _home.FullName;

    public string ConfigFile { get; }

    public string CredentialsFile { get; }

    /// <summary>Sets a variable (null unsets it) for the rest of the test.</summary>
    public void Set(string name, string? value)
    {
        _previous.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Writes a file under the temp HOME and returns its path.</summary>
    public string WriteFile(string relativePath, string content)
    {
        var path = System.IO.Path.Combine(_home.FullName, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            _home.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
