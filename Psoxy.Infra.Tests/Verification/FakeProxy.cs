using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Tests.Hosts.Aws;
using static Psoxy.Infra.Tests.Hosts.Aws.CognitoDeveloperIdentityClientTests;

namespace Psoxy.Infra.Tests.Verification;

/// <summary>How one fake proxy instance behaves; each failure kind answers as the real host or Psoxy does.</summary>
internal enum ProxyBehaviour
{
    Healthy,
    RefuseEveryone,
    MissingConfig,
    WrongSource,
    FederationMismatch,
    ConsentMissing,
    TeamsPolicyMissing,
    PlainEmails,
    Slow,
    SaltMismatch,
    /// <summary>Healthy, but Calendars.Read is not consented: only the events call is refused.</summary>
    CalendarConsentMissing,
    /// <summary>Healthy, but the directory lists no user, so no call can be given a user id.</summary>
    NoUsers,
    /// <summary>Healthy, with a warning of its own and no salt fingerprint (older Psoxy versions).</summary>
    OlderWithWarning,
}

/// <summary>
/// Proxy instances on 127.0.0.1 (a random port), one per connector under <c>/&lt;connector id&gt;/</c>. Like the
/// host, it first authenticates the caller: on AWS it verifies the SigV4 signature (service <c>lambda</c>) with the
/// Cognito tests' independent verifier; on GCP it expects <see cref="GoodToken"/>. Stops by itself after a minute.
/// </summary>
internal sealed class FakeProxy : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string PlainAddress = "alice@contoso.example";
    /// <summary>The salt the healthy instances use; their health checks report its fingerprint.</summary>
    public const string Salt = "salt-of-the-fake-instances";

    /// <summary>The id of the one user the fake directory lists; calls about any other user answer 404.</summary>
    public const string UserId = "48d31887-5fad-4d73-a9f5-3c356e68a038";

    public const string OwnWarning = "Proxy is configured with a rules set that is not the default for this source";

    public const string Pseudonym = "t~80OuLKaSEacbENaFngf3v1Ul1rcs-6BmJRZsfb9scss@contoso.example";

    /// <summary>A JWT (unsigned: only its claims matter here) whose e-mail claim names the caller.</summary>
    public static readonly string GoodToken = Jwt("tester@psoxy-test.iam.gserviceaccount.com");

    private static readonly FakeKeyRing KnownKeys = KeyRing();

    private static FakeKeyRing KeyRing()
    {
        var keys = new FakeKeyRing();
        keys.Add(AccessKey, SecretKey, null);
        keys.Add(TempAccessKey, TempSecretKey, SessionToken);
        return keys;
    }

    private readonly HostPlatform _host;
    private readonly IReadOnlyDictionary<string, ProxyBehaviour> _behaviours;
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _lifetime = new(TimeSpan.FromMinutes(1));
    private readonly Task _loop;

    private FakeProxy(HostPlatform host, IReadOnlyDictionary<string, ProxyBehaviour> behaviours)
    {
        _host = host;
        _behaviours = behaviours;
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.AbsoluteUri);
        _listener.Start();
        _lifetime.Token.Register(_listener.Stop);
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Every request received: method, path and query, and whether it was a health check.</summary>
    public ConcurrentQueue<(string Target, bool HealthCheck)> Requests { get; } = new();

    public static FakeProxy Start(HostPlatform host, IReadOnlyDictionary<string, ProxyBehaviour> behaviours) => new(host, behaviours);

    public Uri EndpointOf(string connectorId) => new(BaseUrl, connectorId + "/");

    public static string Jwt(string email)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Part("""{"alg":"RS256"}""")}.{Part($$"""{"email":"{{email}}","aud":"test"}""")}.c2lnbmF0dXJl";
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }

        _listener.Close();
        _lifetime.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_lifetime.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var target = request.RawUrl ?? "/";
        var healthCheck = request.Headers["X-Psoxy-Health-Check"] is not null;
        Requests.Enqueue((target, healthCheck));
        var connectorId = target.TrimStart('/').Split('/')[0];
        var behaviour = _behaviours.GetValueOrDefault(connectorId, ProxyBehaviour.Healthy);

        var (status, body, error) = !IsAuthenticated(request) || behaviour == ProxyBehaviour.RefuseEveryone
            ? HostRefusal()
            : healthCheck ? HealthCheck(connectorId, behaviour) : DataCall(target[(connectorId.Length + 1)..], behaviour);

        if (behaviour == ProxyBehaviour.Slow)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _lifetime.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        try
        {
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = "application/json";
            if (error is not null)
            {
                response.Headers["X-Psoxy-Error"] = error;
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            await response.OutputStream.WriteAsync(bytes, _lifetime.Token);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // The client gave up (timeout tests) or the server is stopping.
        }
    }

    private bool IsAuthenticated(HttpListenerRequest request)
    {
        if (_host == HostPlatform.Gcp)
        {
            return request.Headers["Authorization"] == "Bearer " + GoodToken;
        }

        var headers = request.Headers.AllKeys.SelectMany(k => request.Headers.GetValues(k!)!.Select(v => (k!, v))).ToList();
        var received = new ReceivedRequest(request.HttpMethod, request.RawUrl ?? "/", headers, []);
        return SigV4Verifier.Check(received, KnownKeys, Region, "lambda") is null;
    }

    // What Lambda function URLs and Cloud Run answer a caller they refuse: no Psoxy headers, not JSON from the proxy.
    private (int, string, string?) HostRefusal() => _host == HostPlatform.Aws
        ? (403, """{"Message":"Forbidden"}""", null)
        : (403, "<html><body>Error: Forbidden. Your client does not have permission to get URL from this server.</body></html>", null);

    private static (int, string, string?) HealthCheck(string connectorId, ProxyBehaviour behaviour)
    {
        var source = behaviour == ProxyBehaviour.WrongSource ? "msft-teams" : ConnectorCatalog.Find(connectorId)?.SourceKind;
        var (missing, salt) = behaviour == ProxyBehaviour.MissingConfig ? ("\"CLIENT_ID\"", "false") : ("", "true");
        var saltHash = Psoxy.Infra.Hosts.PsoxySaltHash.Compute(behaviour == ProxyBehaviour.SaltMismatch ? "another-salt" : Salt);
        var (saltField, warnings) = behaviour == ProxyBehaviour.OlderWithWarning ? ("", $"\"{OwnWarning}\"") : ($"\"saltSha256Hash\":\"{saltHash}\",", "");
        var json = $$"""{"bundleFilename":"psoxy-aws-0.6.9.jar","callerIp":"127.0.0.1","configuredSource":"{{source}}","missingConfigProperties":[{{missing}}],"nonDefaultSalt":{{salt}},{{saltField}}"version":"0.6.9","warningMessages":[{{warnings}}]}""";
        return (behaviour == ProxyBehaviour.MissingConfig ? 412 : 200, json + "\r\n", null);
    }

    // Graph's answers as the proxy passes them on: a page of one item, pseudonymized, except where a behaviour fails it.
    private static (int, string, string?) DataCall(string pathAndQuery, ProxyBehaviour behaviour)
    {
        var path = Uri.UnescapeDataString(pathAndQuery.Split('?')[0]);
        var aboutUser = path.StartsWith("/v1.0/users/", StringComparison.Ordinal) || path.StartsWith("/beta/copilot/users/", StringComparison.Ordinal);
        return behaviour switch
        {
            ProxyBehaviour.FederationMismatch => (500,
                "Error communicating with source API: 400 Bad Request POST https://login.microsoftonline.com/tenant/oauth2/v2.0/token "
                + """{"error":"invalid_client","error_description":"AADSTS700213: No matching federated identity record found for presented assertion subject.","error_codes":[700213]}""",
                "CONNECTION_TO_SOURCE"),
            ProxyBehaviour.ConsentMissing => Denied(),
            ProxyBehaviour.CalendarConsentMissing when path.EndsWith("/events", StringComparison.Ordinal) => Denied(),
            ProxyBehaviour.TeamsPolicyMissing when path.EndsWith("/onlineMeetings", StringComparison.Ordinal) => (403,
                """{"error":{"code":"General","message":"No application access policy found for this app.","innerError":{}}}""",
                "API_ERROR"),
            ProxyBehaviour.PlainEmails => Page($$"""{"id":"{{UserId}}","mail":"{{PlainAddress}}","userPrincipalName":"{{Pseudonym}}"}"""),
            ProxyBehaviour.NoUsers when path == "/v1.0/users" => (200, """{"value":[]}""", null),
            // Only the listed user exists: a call that did not follow the returned id finds nothing.
            _ when aboutUser && !path.Contains("/users/" + UserId, StringComparison.Ordinal) => NotFound(),
            // No meeting has the join URL verify looks up; reaching Graph's lookup at all proves the access policy.
            _ when path.EndsWith("/onlineMeetings", StringComparison.Ordinal) => NotFound(),
            _ => Page($$"""{"id":"{{UserId}}","mail":"{{Pseudonym}}","userPrincipalName":"{{Pseudonym}}"}"""),
        };

        static (int, string, string?) Page(string item) => (200, $$"""{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata","value":[{{item}}]}""", null);

        static (int, string, string?) Denied() => (403,
            """{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{}}}""",
            "API_ERROR");

        static (int, string, string?) NotFound() => (404, """{"error":{"code":"NotFound","message":"The requested resource was not found."}}""", "API_ERROR");
    }
}
