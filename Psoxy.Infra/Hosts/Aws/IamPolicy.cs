using System.Text.Json;
using System.Text.Json.Nodes;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>
/// IAM policy documents as JSON, built here rather than with the GetPolicyDocument data source: the text is then
/// known at plan time (the offline plan and a preview show the exact grants) and its key order never changes.
/// </summary>
internal static class IamPolicy
{
    public const string Version = "2012-10-17";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>A policy document holding <paramref name="statements"/> in the given order.</summary>
    public static string Document(IEnumerable<JsonObject> statements)
    {
        var document = new JsonObject
        {
            ["Version"] = Version,
            ["Statement"] = new JsonArray(statements.Cast<JsonNode?>().ToArray()),
        };
        return document.ToJsonString(Compact);
    }

    /// <summary>An identity-policy statement allowing <paramref name="actions"/> on exactly <paramref name="resources"/>.</summary>
    public static JsonObject Allow(string sid, IEnumerable<string> actions, IEnumerable<string> resources) => new()
    {
        ["Sid"] = sid,
        ["Effect"] = "Allow",
        ["Action"] = Strings(actions),
        ["Resource"] = Strings(resources),
    };

    /// <summary>A trust statement letting an AWS service (e.g. <c>lambda.amazonaws.com</c>) assume the role.</summary>
    public static JsonObject TrustService(string service) => new()
    {
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["Service"] = service },
        ["Action"] = "sts:AssumeRole",
    };

    /// <summary>A trust statement letting an IAM principal (user, role or account root) assume the role.</summary>
    public static JsonObject TrustAwsPrincipal(string arn) => new()
    {
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["AWS"] = arn },
        ["Action"] = "sts:AssumeRole",
    };

    /// <summary>
    /// A trust statement letting a Google identity whose token audience (for a service account: its unique id)
    /// is exactly <paramref name="audience"/> assume the role by web identity federation.
    /// </summary>
    public static JsonObject TrustGoogleIdentity(string audience) => new()
    {
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["Federated"] = "accounts.google.com" },
        ["Action"] = "sts:AssumeRoleWithWebIdentity",
        ["Condition"] = new JsonObject
        {
            ["StringEquals"] = new JsonObject { ["accounts.google.com:aud"] = audience },
        },
    };

    /// <summary>
    /// Restricts a trust statement to requests from <paramref name="ipBlocks"/>, as Psoxy's aws module conditions its
    /// caller role (<c>ForAnyValue:IpAddress</c> on <c>aws:SourceIp</c>), keeping the statement's other conditions.
    /// </summary>
    public static JsonObject WithSourceIp(JsonObject statement, IReadOnlyList<string> ipBlocks)
    {
        if (statement["Condition"] is not JsonObject condition)
        {
            condition = new JsonObject();
            statement["Condition"] = condition;
        }

        condition["ForAnyValue:IpAddress"] = new JsonObject { ["aws:SourceIp"] = Strings(ipBlocks) };
        return statement;
    }

    private static JsonArray Strings(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
