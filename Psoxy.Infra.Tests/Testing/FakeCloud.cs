using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pulumi.Testing;

namespace Psoxy.Infra.Tests.Testing;

/// <summary>
/// Pulumi mocks that behave like the clouds for the resources Psoxy.Infra declares: inputs come back as
/// outputs, plus the values each provider computes (ids, client ids, unique ids, certificates), all
/// deterministic and derived from the resource name so tests can predict them.
/// </summary>
internal sealed class FakeCloud : IMocks
{
    public const string DeployerObjectId = "d0d0d0d0-0000-4000-8000-000000000001";
    public const string GraphServicePrincipalObjectId = "9a9a9a9a-0000-4000-8000-0000000000aa";

    /// <summary>Object ids of the directory's users by user principal name.</summary>
    public Dictionary<string, string> Users { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alice@contoso.example"] = "a11ce000-0000-4000-8000-000000000002",
        ["bob@contoso.example"] = "b0b00000-0000-4000-8000-000000000003",
    };

    /// <summary>Whether every user principal name resolves (to a deterministic object id), as for the example stack files.</summary>
    public bool KnowsEveryUser { get; init; }

    /// <summary>
    /// The project the GCP provider targets, as its getClientConfig reports it; null to read it as the provider
    /// does (gcp:project, then GOOGLE_PROJECT and the like).
    /// </summary>
    public string? GcpProviderProject { get; init; }

    /// <summary>Whose the GCP provider's credentials are, as its getClientOpenIdUserInfo reports it.</summary>
    public string GcpDeployerEmail { get; init; } = DefaultGcpDeployerEmail;

    /// <summary>The deployer of the GCP stacks: a CI service account of the project.</summary>
    public const string DefaultGcpDeployerEmail = "deployer@psoxy-test.iam.gserviceaccount.com";

    /// <summary>The account the AWS credentials belong to (what STS reports).</summary>
    public string AwsAccountId { get; init; } = StackRun.AwsAccountId;

    /// <summary>The partition of the caller ARN that STS reports.</summary>
    public string CallerArnPartition { get; init; } = "aws";

    /// <summary>The AWS provider's region, for resources that do not set their own.</summary>
    public string AwsRegion { get; init; } = DefaultRegion;

    /// <summary>The region of the example stacks and of <see cref="StackRun.AwsConfig"/>.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>
    /// A cloud that answers as the clouds of <paramref name="config"/> (full keys) would: its AWS account and region,
    /// its GCP project; so that any valid stack file a user adds runs under the fakes.
    /// </summary>
    public static FakeCloud For(IDictionary<string, object> config)
    {
        string? Field(string key, string field) => config.TryGetValue(key, out var value) ? value switch
        {
            string json when json.TrimStart().StartsWith('{') => System.Text.Json.JsonDocument.Parse(json).RootElement.TryGetProperty(field, out var e) && e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString() : null,
            IDictionary<string, object> map => map.TryGetValue(field, out var v) ? v as string : null,
            _ => null,
        } : null;

        return new FakeCloud
        {
            AwsAccountId = Field("psoxy:aws", "accountId") ?? StackRun.AwsAccountId,
            AwsRegion = Field("psoxy:aws", "region") ?? (config.TryGetValue("aws:region", out var region) ? (string)region : DefaultRegion),
            KnowsEveryUser = true,
        };
    }

    public ConcurrentQueue<MockResourceArgs> Resources { get; } = new();
    public ConcurrentQueue<MockCallArgs> Calls { get; } = new();

    /// <summary>What each resource got back, by type and name: its id and outputs, computed ones included.</summary>
    public ConcurrentDictionary<(string Type, string Name), (string Id, ImmutableDictionary<string, object> Outputs)> Created { get; } = new();

    /// <summary>Every secret value this cloud generated (passwords, private keys), to check none leaks.</summary>
    public ConcurrentQueue<string> GeneratedSecrets { get; } = new();

    public static string ClientIdOf(string name) => GuidFrom("client:" + name);
    public static string ObjectIdOf(string name) => GuidFrom("object:" + name);
    public static string PoolIdOf(string name, string region = DefaultRegion) => $"{region}:" + GuidFrom("pool:" + name);

    /// <summary>The id of a connector's own identity pool (the AWS host declares one per connector).</summary>
    public static string PoolIdOfConnector(string connector, string region = DefaultRegion) => PoolIdOf($"{connector}-identity-pool", region);

    /// <summary>The ARN of a connector's own identity pool.</summary>
    public static string PoolArnOfConnector(string connector, string account = StackRun.AwsAccountId, string region = DefaultRegion) =>
        $"arn:aws:cognito-identity:{region}:{account}:identitypool/{PoolIdOfConnector(connector, region)}";
    /// <summary>The Cloud Run URL a 2nd gen function gets (no trailing slash).</summary>
    /// <summary>The value a generated password gets: deterministic, so tests can look for it anywhere.</summary>
    public static string PasswordOf(string name) => "pw!" + GuidFrom("password:" + name).Replace("-", string.Empty, StringComparison.Ordinal);

    public static string FunctionUriOf(string functionName) => $"https://{functionName}-x7k2q9m4ra-uc.a.run.app";

    /// <summary>The version number Secret Manager gives a secret's first version.</summary>
    public const string FirstSecretVersion = "1";

    public static string UniqueIdOf(string name) => string.Concat(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)).Take(10).Select(b => (b % 10).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "12345678901";

    /// <summary>The function URL Lambda gives a function: an opaque host under the region's lambda-url domain.</summary>
    public static string FunctionUrlOf(string region, string functionName) =>
        $"https://{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(functionName)))[..32]}.lambda-url.{region}.on.aws/";

    public string FunctionArnOf(string region, string functionName) => $"arn:{CallerArnPartition}:lambda:{region}:{AwsAccountId}:function:{functionName}";

    private string RegionOf(MockResourceArgs args) =>
        args.Inputs.TryGetValue("region", out var region) ? (string)region : AwsRegion;

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Resources.Enqueue(args);
        var name = args.Name ?? string.Empty;
        var outputs = args.Inputs.ToBuilder();
        string id = $"{name}-id";
        switch (args.Type)
        {
            case "azuread:index/application:Application":
                var objectId = args.Id is { Length: > 0 } import ? import["/applications/".Length..] : ObjectIdOf(name);
                id = $"/applications/{objectId}";
                outputs["objectId"] = objectId;
                outputs["clientId"] = ClientIdOf(name);
                break;
            case "azuread:index/servicePrincipal:ServicePrincipal":
                var spObjectId = ObjectIdOf(name);
                id = $"/servicePrincipals/{spObjectId}";
                outputs["objectId"] = spObjectId;
                break;
            case "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential":
                outputs["credentialId"] = GuidFrom("credential:" + name);
                break;
            case "gcp:serviceaccount/account:Account":
                var accountId = (string)args.Inputs["accountId"];
                outputs["email"] = $"{accountId}@psoxy-test.iam.gserviceaccount.com";
                outputs["member"] = $"serviceAccount:{accountId}@psoxy-test.iam.gserviceaccount.com";
                outputs["uniqueId"] = UniqueIdOf(name);
                break;
            case "gcp:cloudfunctionsv2/function:Function":
                var functionName = (string)args.Inputs["name"];
                var location = (string)args.Inputs["location"];
                var functionProject = (string)args.Inputs["project"];
                id = $"projects/{functionProject}/locations/{location}/functions/{functionName}";
                outputs["url"] = $"https://{location}-{functionProject}.cloudfunctions.net/{functionName}";
                var serviceConfig = ((ImmutableDictionary<string, object>)args.Inputs["serviceConfig"]).ToBuilder();
                serviceConfig["uri"] = FunctionUriOf(functionName);
                serviceConfig["service"] = $"projects/{functionProject}/locations/{location}/services/{functionName}";
                outputs["serviceConfig"] = serviceConfig.ToImmutable();
                break;
            case "gcp:secretmanager/secret:Secret":
                id = $"projects/{args.Inputs["project"]}/secrets/{args.Inputs["secretId"]}";
                outputs["name"] = id;
                break;
            case "gcp:secretmanager/secretVersion:SecretVersion":
                id = $"{args.Inputs["secret"]}/versions/{FirstSecretVersion}";
                outputs["name"] = id;
                outputs["version"] = FirstSecretVersion;
                break;
            case "aws:cognito/identityPool:IdentityPool":
                id = PoolIdOf(name, AwsRegion);
                outputs["arn"] = $"arn:{CallerArnPartition}:cognito-identity:{RegionOf(args)}:{AwsAccountId}:identitypool/{id}";
                break;
            case "aws:iam/role:Role":
                id = (string)args.Inputs["name"];
                outputs["arn"] = $"arn:{CallerArnPartition}:iam::{AwsAccountId}:role/{id}";
                break;
            case "aws:lambda/function:Function":
                id = (string)args.Inputs["name"];
                outputs["arn"] = FunctionArnOf(RegionOf(args), id);
                break;
            case "aws:lambda/functionUrl:FunctionUrl":
                var urlFunctionName = (string)args.Inputs["functionName"];
                outputs["functionArn"] = FunctionArnOf(RegionOf(args), urlFunctionName);
                outputs["functionUrl"] = FunctionUrlOf(RegionOf(args), urlFunctionName);
                break;
            case "aws:ssm/parameter:Parameter":
                id = (string)args.Inputs["name"];
                outputs["arn"] = $"arn:{CallerArnPartition}:ssm:{RegionOf(args)}:{AwsAccountId}:parameter/{id.TrimStart('/')}";
                break;
            case "aws:s3/bucket:Bucket":
                id = (string)args.Inputs["bucketPrefix"] + "20260101000000000000000001";
                outputs["bucket"] = id;
                outputs["arn"] = $"arn:{CallerArnPartition}:s3:::{id}";
                break;
            case "random:index/randomPassword:RandomPassword":
                outputs["result"] = PasswordOf(name);
                GeneratedSecrets.Enqueue(PasswordOf(name));
                break;
            case "tls:index/privateKey:PrivateKey":
                var (keyPem, pkcs8) = Key(name);
                outputs["privateKeyPem"] = keyPem;
                outputs["privateKeyPemPkcs8"] = pkcs8;
                GeneratedSecrets.Enqueue(keyPem);
                GeneratedSecrets.Enqueue(pkcs8);
                break;
            case "tls:index/selfSignedCert:SelfSignedCert":
                var hours = Convert.ToInt32(args.Inputs["validityPeriodHours"], System.Globalization.CultureInfo.InvariantCulture);
                var (certPem, start, end) = Certificate(name, hours);
                outputs["certPem"] = certPem;
                outputs["validityStartTime"] = start;
                outputs["validityEndTime"] = end;
                break;
        }

        var state = outputs.ToImmutable();
        Created[(args.Type ?? string.Empty, name)] = (id, state);
        return Task.FromResult<(string?, object)>((id, state));
    }

    public Task<object> CallAsync(MockCallArgs args)
    {
        Calls.Enqueue(args);
        object result = args.Token switch
        {
            "azuread:index/getClientConfig:getClientConfig" => new Dictionary<string, object>
            {
                ["clientId"] = "c11e0000-0000-4000-8000-000000000004",
                ["objectId"] = DeployerObjectId,
                ["tenantId"] = "7e7e7e7e-0000-4000-8000-000000000005",
                ["id"] = "client-config",
            },
            "azuread:index/getUsers:getUsers" => UsersResult(args),
            "gcp:organizations/getClientConfig:getClientConfig" => new Dictionary<string, object>
            {
                ["id"] = "client-config",
                ["project"] = GcpProviderProject ?? ProviderProjectFromConfig() ?? string.Empty,
                ["region"] = new Pulumi.Config("gcp").Get("region") ?? string.Empty,
                ["zone"] = string.Empty,
                ["accessToken"] = "fake-access-token",
                ["defaultLabels"] = ImmutableDictionary<string, object>.Empty,
            },
            "gcp:organizations/getClientOpenIdUserInfo:getClientOpenIdUserInfo" => new Dictionary<string, object>
            {
                ["id"] = GcpDeployerEmail,
                ["email"] = GcpDeployerEmail,
            },
            "aws:index/getCallerIdentity:getCallerIdentity" => new Dictionary<string, object>
            {
                ["accountId"] = AwsAccountId,
                ["arn"] = $"arn:{CallerArnPartition}:iam::{AwsAccountId}:user/deployer",
                ["id"] = AwsAccountId,
                ["userId"] = "AIDAEXAMPLEDEPLOYER",
            },
            "azuread:index/getServicePrincipal:getServicePrincipal" => new Dictionary<string, object>
            {
                ["id"] = "/servicePrincipals/" + GraphServicePrincipalObjectId,
                ["objectId"] = GraphServicePrincipalObjectId,
                ["clientId"] = (string)args.Args["clientId"],
                ["displayName"] = "Microsoft Graph",
            },
            _ => throw new InvalidOperationException($"FakeCloud has no data source {args.Token}."),
        };
        return Task.FromResult(result);
    }

    private static string? ProviderProjectFromConfig() =>
        new Pulumi.Config("gcp").Get("project")
        ?? Psoxy.Infra.Hosts.Gcp.GcpPreflight.ProviderProjectVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private Dictionary<string, object> UsersResult(MockCallArgs args)
    {
        var names = ((ImmutableArray<object>)args.Args["userPrincipalNames"]).Cast<string>().ToList();
        var missing = names.Where(n => !Users.ContainsKey(n) && !KnowsEveryUser).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"user not found: {string.Join(", ", missing)}");
        }

        return new Dictionary<string, object>
        {
            ["id"] = "users",
            ["userPrincipalNames"] = names.ToImmutableArray(),
            ["objectIds"] = names.Select(n => Users.TryGetValue(n, out var id) ? id : GuidFrom("user:" + n.ToLowerInvariant())).ToImmutableArray(),
        };
    }

    private static string GuidFrom(string seed)
    {
        var bytes = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        return new Guid(bytes.AsSpan(0, 16)).ToString();
    }

    private static readonly ConcurrentDictionary<string, (string Pem, string Pkcs8, RSA Rsa)> KeyCache = new();

    private static (string Pem, string Pkcs8) Key(string name)
    {
        var key = KeyCache.GetOrAdd(name, _ =>
        {
            var rsa = RSA.Create(2048);
            return (rsa.ExportRSAPrivateKeyPem(), rsa.ExportPkcs8PrivateKeyPem(), rsa);
        });
        return (key.Pem, key.Pkcs8);
    }

    /// <summary>A real self-signed certificate, so thumbprints and dates can be checked.</summary>
    private static (string Pem, string Start, string End) Certificate(string name, int validityHours)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var notBefore = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        var notAfter = notBefore.AddHours(validityHours);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return (certificate.ExportCertificatePem(), notBefore.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            notAfter.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
