using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Psoxy.Infra.Tests.Hosts.Aws;

public sealed partial class CognitoDeveloperIdentityClientTests
{
    /// <summary>
    /// A loopback Cognito Identity answering GetOpenIdTokenForDeveloperIdentity: it validates method, path, content
    /// type, target, body and the SigV4 signature (the access key, its secret and session token must be in
    /// <see cref="Keys"/>: the static test keys, plus whatever a fake STS or SSO sharing the ring issued), and
    /// returns a deterministic IdentityId per login.
    /// </summary>
    internal sealed class FakeCognitoServer : LoopbackHttpServer
    {
        private readonly ConcurrentDictionary<string, string> _identities = new(StringComparer.Ordinal);

        private readonly HashSet<string> _pools;

        private FakeCognitoServer(string region, IEnumerable<string> pools)
        {
            SigningRegion = region;
            _pools = [PoolIdIn(region), .. pools];
            Keys.Add(AccessKey, SecretKey, null);
            Keys.Add(TempAccessKey, TempSecretKey, SessionToken);
        }

        /// <summary>The credentials accepted; share it with a fake STS or SSO so that what they issue is accepted.</summary>
        public FakeKeyRing Keys { get; } = new();

        public ConcurrentQueue<(HttpStatusCode Status, string Type, string Message)> InjectedFailures { get; } = new();

        public int RegisteredIdentities => _identities.Count;

        /// <summary>The region requests must be signed for: the region of the stack under test.</summary>
        public string SigningRegion { get; }

        /// <summary>A server for <paramref name="region"/> knowing the pool <see cref="PoolIdIn"/> and <paramref name="pools"/>.</summary>
        public static FakeCognitoServer Start(string region = Region, params IEnumerable<string> pools) => new(region, pools);

        /// <summary>The one identity pool this Cognito knows: <see cref="PoolId"/>, in <paramref name="region"/>.</summary>
        public static string PoolIdIn(string region) => region + PoolId[PoolId.IndexOf(':', StringComparison.Ordinal)..];

        public static string ExpectedIdentityId(string poolId, string provider, string clientId)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{poolId}\n{provider}\n{clientId}"));
            return $"{poolId.Split(':')[0]}:{new Guid(hash.AsSpan(0, 16))}";
        }

        protected override (HttpStatusCode Status, string ContentType, string Body) Handle(ReceivedRequest request)
        {
            const string json = "application/x-amz-json-1.1";
            (HttpStatusCode, string, string) Reject(string type, string message)
            {
                request.Rejection = $"{type}: {message}";
                return (HttpStatusCode.BadRequest, json, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }));
            }

            if (request.Method != "POST" || request.Target != "/")
            {
                return Reject("UnknownOperationException", $"{request.Method} {request.Target}");
            }

            if (request.Header("content-type") != json)
            {
                return Reject("SerializationException", $"Unexpected content type '{request.Header("content-type")}'");
            }

            if (request.Header("x-amz-target") != "AWSCognitoIdentityService.GetOpenIdTokenForDeveloperIdentity")
            {
                return Reject("UnknownOperationException", $"Unexpected target '{request.Header("x-amz-target")}'");
            }

            if (SigV4Verifier.Check(request, Keys, SigningRegion, "cognito-identity") is { } signatureError)
            {
                return Reject(signatureError.Type, signatureError.Message);
            }

            string poolId;
            string provider;
            string clientId;
            try
            {
                using var document = JsonDocument.Parse(request.Body);
                var root = document.RootElement;
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
                return (failure.Status, json, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = failure.Type, ["message"] = failure.Message }));
            }

            if (!_pools.Contains(poolId))
            {
                return Reject("ResourceNotFoundException", $"IdentityPool '{poolId}' not found.");
            }

            var identityId = _identities.GetOrAdd($"{provider}={clientId}", _ => ExpectedIdentityId(poolId, provider, clientId));
            return (HttpStatusCode.OK, json, JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["IdentityId"] = identityId,
                ["Token"] = "eyJraWQiOiJmYWtlIn0.fake-open-id-token." + Convert.ToBase64String(Encoding.UTF8.GetBytes(identityId)),
            }));
        }
    }
}
