using System.Collections.Immutable;
using System.Text.Json;
using Psoxy.Infra.Tests.Testing;
using static Psoxy.Infra.Tests.Hosts.Aws.CognitoDeveloperIdentityClientTests;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>Runs an AWS stack under <see cref="FakeCloud"/>, with the loopback Cognito answering the identity lookups.</summary>
internal static class AwsTestRun
{
    public const string Salt = "salt-from-an-existing-deployment";
    public const string EncryptionKey = "key-from-an-existing-deployment-0123";
    public const string Region = "us-east-1";
    public const string TenantId = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10";

    public const string FunctionType = "aws:lambda/function:Function";
    public const string FunctionUrlType = "aws:lambda/functionUrl:FunctionUrl";
    public const string RoleType = "aws:iam/role:Role";
    public const string RolePolicyType = "aws:iam/rolePolicy:RolePolicy";
    public const string AttachmentType = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    public const string LogGroupType = "aws:cloudwatch/logGroup:LogGroup";
    public const string ParameterType = "aws:ssm/parameter:Parameter";
    public const string PoolType = "aws:cognito/identityPool:IdentityPool";
    public const string BucketType = "aws:s3/bucket:Bucket";
    public const string PublicAccessBlockType = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
    public const string EncryptionType = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    public const string ObjectType = "aws:s3/bucketObjectv2:BucketObjectv2";
    public const string CredentialType = "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential";

    /// <summary>A valid AWS stack with static credentials the loopback Cognito knows, and the shared secrets given.</summary>
    public static Dictionary<string, object> Config(params string[] connectors)
    {
        var config = StackRun.AwsConfig(connectors);
        config["aws:accessKey"] = AccessKey;
        config["aws:secretKey"] = SecretKey;
        config["psoxy:pseudonymSalt"] = Salt;
        config["psoxy:encryptionKey"] = EncryptionKey;
        return config;
    }

    public static readonly string[] SecretKeys = ["psoxy:pseudonymSalt", "psoxy:encryptionKey", "aws:secretKey"];

    /// <summary>Sets fields of the <c>psoxy:aws</c> object.</summary>
    public static Dictionary<string, object> WithAws(this Dictionary<string, object> config, params (string Field, object Value)[] fields)
    {
        var aws = new Dictionary<string, object>((Dictionary<string, object>)config["psoxy:aws"]);
        foreach (var (field, value) in fields)
        {
            aws[field] = value;
        }

        config["psoxy:aws"] = aws;
        return config;
    }

    public static async Task<StackRun> RunAsync(Dictionary<string, object> config, bool preview = false, FakeCloud? cloud = null)
    {
        await using var cognito = StartCognito();
        using var endpoint = new CognitoEndpointOverride(cognito.Endpoint);
        var run = await StackRun.RunAsync(config, preview, cloud ?? new FakeCloud(), SecretKeys);
        Assert.All(cognito.Requests, r => Assert.Null(r.Rejection));
        return run;
    }

    /// <summary>The loopback Cognito, knowing every connector's own identity pool as the fake cloud creates them.</summary>
    public static FakeCognitoServer StartCognito(string region = FakeCloud.DefaultRegion) =>
        FakeCognitoServer.Start(region, Psoxy.Infra.Catalog.ConnectorCatalog.All.Select(c => FakeCloud.PoolIdOfConnector(c.Id, region)));

    /// <summary>The developer identity Cognito gives the connector's application in the connector's own pool.</summary>
    public static string IdentityIdOf(string connector) =>
        FakeCognitoServer.ExpectedIdentityId(FakeCloud.PoolIdOfConnector(connector), "test-azure-access", FakeCloud.ClientIdOf(connector));

    public static ImmutableDictionary<string, string> EnvironmentOf(ImmutableDictionary<string, object> function) =>
        ((ImmutableDictionary<string, object>)((ImmutableDictionary<string, object>)function["environment"])["variables"])
            .ToImmutableDictionary(kv => kv.Key, kv => (string)kv.Value);

    public static IReadOnlyList<string> Strings(object list) => ((ImmutableArray<object>)list).Cast<string>().ToList();
}

/// <summary>One statement of an IAM policy document, parsed from the JSON the program sends.</summary>
internal sealed record PolicyStatement(
    string? Sid,
    string Effect,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Resources,
    IReadOnlyDictionary<string, string> Principal,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Condition)
{
    // The document's keys (constants: the record's members share the names).
    private const string SidKey = "Sid";
    private const string EffectKey = "Effect";
    private const string PrincipalKey = "Principal";
    private const string ConditionKey = "Condition";
    private static readonly string[] KnownKeys = [SidKey, EffectKey, "Action", "Resource", PrincipalKey, ConditionKey];

    /// <summary>A condition's value: a string, or a list of strings shown comma-joined.</summary>
    private static string ConditionValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array
            ? string.Join(",", value.EnumerateArray().Select(v => v.GetString()!))
            : value.GetString()!;

    /// <summary>Parses a document, failing on anything but Version 2012-10-17 and the keys above.</summary>
    public static IReadOnlyList<PolicyStatement> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(["Version", "Statement"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2012-10-17", root.GetProperty("Version").GetString());
        var statements = new List<PolicyStatement>();
        foreach (var s in root.GetProperty("Statement").EnumerateArray())
        {
            Assert.All(s.EnumerateObject(), p => Assert.Contains(p.Name, KnownKeys));
            statements.Add(new PolicyStatement(
                s.TryGetProperty(SidKey, out var sid) ? sid.GetString() : null,
                s.GetProperty(EffectKey).GetString()!,
                StringOrList(s, "Action"),
                StringOrList(s, "Resource"),
                s.TryGetProperty(PrincipalKey, out var principal)
                    ? principal.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
                    : new Dictionary<string, string>(),
                s.TryGetProperty(ConditionKey, out var condition)
                    ? condition.EnumerateObject().ToDictionary(
                        op => op.Name,
                        op => (IReadOnlyDictionary<string, string>)op.Value.EnumerateObject().ToDictionary(k => k.Name, k => ConditionValue(k.Value)))
                    : new Dictionary<string, IReadOnlyDictionary<string, string>>()));
        }

        // Least privilege: never a wildcard action, resource or principal.
        Assert.All(statements, st =>
        {
            Assert.DoesNotContain(st.Actions, a => a.Contains('*', StringComparison.Ordinal));
            Assert.DoesNotContain(st.Resources, r => r == "*" || r.EndsWith(":*", StringComparison.Ordinal));
            Assert.DoesNotContain(st.Principal.Values, p => p.Contains('*', StringComparison.Ordinal));
        });
        return statements;
    }

    private static IReadOnlyList<string> StringOrList(JsonElement statement, string key)
    {
        if (!statement.TryGetProperty(key, out var value))
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.String
            ? [value.GetString()!]
            : value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}
