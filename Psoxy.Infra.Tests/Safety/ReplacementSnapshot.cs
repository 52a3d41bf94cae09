using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Psoxy.Infra.Planning;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>
/// What identifies each resource across deployments: its URN (type chain, parent and name) and the inputs its
/// provider cannot change in place. A change to either makes <c>pulumi up</c> delete or replace the resource.
/// </summary>
internal static class ReplacementSnapshot
{
    /// <summary>Per resource type, the inputs whose change forces a replacement (ForceNew in the providers).</summary>
    public static readonly ImmutableDictionary<string, ImmutableArray<string>> ReplacingInputs = new Dictionary<string, ImmutableArray<string>>
    {
        ["azuread:index/application:Application"] = ["templateId"],
        ["azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential"] = ["applicationId", "displayName"],
        ["azuread:index/applicationCertificate:ApplicationCertificate"] = ["applicationId", "encoding", "type"],
        ["azuread:index/servicePrincipal:ServicePrincipal"] = ["clientId"],
        ["azuread:index/appRoleAssignment:AppRoleAssignment"] = ["appRoleId", "principalObjectId", "resourceObjectId"],
        ["random:index/randomPassword:RandomPassword"] = ["length", "special", "upper", "lower", "numeric", "overrideSpecial", "keepers"],
        ["tls:index/privateKey:PrivateKey"] = ["algorithm", "rsaBits", "ecdsaCurve"],
        ["aws:cognito/identityPool:IdentityPool"] = ["developerProviderName"],
        ["aws:lambda/function:Function"] = ["name", "packageType"],
        ["aws:lambda/functionUrl:FunctionUrl"] = ["functionName", "qualifier"],
        ["aws:iam/role:Role"] = ["name", "path"],
        ["aws:iam/rolePolicy:RolePolicy"] = ["name", "role"],
        ["aws:iam/policy:Policy"] = ["name", "path"],
        ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"] = ["role", "policyArn"],
        ["aws:cloudwatch/logGroup:LogGroup"] = ["name"],
        ["aws:ssm/parameter:Parameter"] = ["name"],
        ["aws:s3/bucket:Bucket"] = ["bucket", "bucketPrefix"],
        ["aws:s3/bucketObjectv2:BucketObjectv2"] = ["bucket", "key"],
        ["gcp:serviceaccount/account:Account"] = ["accountId", "project"],
        ["gcp:cloudfunctionsv2/function:Function"] = ["name", "location", "project"],
        ["gcp:secretmanager/secret:Secret"] = ["secretId", "project", "replication"],
        ["gcp:secretmanager/secretVersion:SecretVersion"] = ["secret"],
        ["gcp:secretmanager/secretIamMember:SecretIamMember"] = ["secretId", "role", "member", "project"],
        ["gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding"] = ["name", "location", "project", "role"],
        ["gcp:cloudrunv2/serviceIamMember:ServiceIamMember"] = ["name", "location", "project", "role", "member"],
        ["gcp:storage/bucket:Bucket"] = ["name", "location", "project"],
        ["gcp:storage/bucketObject:BucketObject"] = ["name", "bucket"],
        ["gcp:projects/service:Service"] = ["service", "project"],
        ["gcp:projects/iAMMember:IAMMember"] = ["project", "role", "member"],
        ["gcp:artifactregistry/repository:Repository"] = ["repositoryId", "location", "format", "project"],
        ["gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"] = ["repository", "location", "project", "role", "member"],
        ["gcp:storage/bucketIAMMember:BucketIAMMember"] = ["bucket", "role", "member"],
    }.ToImmutableDictionary();

    /// <summary>The snapshot text of a plan: one block per resource, sorted by URN.</summary>
    public static string Of(Plan plan)
    {
        var text = new StringBuilder();
        foreach (var resource in plan.Resources.OrderBy(r => r.Urn, StringComparer.Ordinal))
        {
            text.Append(resource.Urn).Append('\n');
            foreach (var key in ReplacingInputs.GetValueOrDefault(resource.Type, []).Where(resource.Inputs.ContainsKey))
            {
                text.Append("  ").Append(key).Append(" = ").Append(PlanValue.ForPeople(resource.Inputs[key])?.ToJsonString() ?? "null").Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The lines that differ, as a unified-looking list ("- expected", "+ actual"), empty when equal.</summary>
    public static IReadOnlyList<string> Diff(string expected, string actual)
    {
        var before = Blocks(expected);
        var after = Blocks(actual);
        var lines = new List<string>();
        foreach (var (urn, block) in before.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            if (!after.TryGetValue(urn, out var now))
            {
                lines.Add($"- {urn}   (deleted or renamed/re-parented: add an alias)");
            }
            else if (now != block)
            {
                lines.Add($"~ {urn}   (replaced)");
                lines.AddRange(block.Split('\n').Except(now.Split('\n')).Select(l => "-   " + l.Trim()));
                lines.AddRange(now.Split('\n').Except(block.Split('\n')).Select(l => "+   " + l.Trim()));
            }
        }

        lines.AddRange(after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).Select(urn => $"+ {urn}   (new)"));
        return lines;
    }

    private static Dictionary<string, string> Blocks(string snapshot)
    {
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        string? urn = null;
        var lines = new List<string>();
        foreach (var line in snapshot.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Length > 0))
        {
            if (!line.StartsWith(' '))
            {
                if (urn is not null)
                {
                    blocks[urn] = string.Join('\n', lines);
                }

                urn = line;
                lines.Clear();
            }
            else
            {
                lines.Add(line);
            }
        }

        if (urn is not null)
        {
            blocks[urn] = string.Join('\n', lines);
        }

        return blocks;
    }
}
