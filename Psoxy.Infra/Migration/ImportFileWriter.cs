using System.Text.Json;
using System.Text.Json.Nodes;
using Psoxy.Infra.Planning;

namespace Psoxy.Infra.Migration;

/// <summary>One entry of a <c>pulumi import --file</c> document.</summary>
/// <param name="Name">The entry's key in the file (what <c>parent</c> refers to); unique.</param>
/// <param name="LogicalName">The resource's name in the program.</param>
/// <param name="Id">The provider's import id; null for a component.</param>
/// <param name="Parent">The key of the parent entry; null for a child of the stack.</param>
/// <param name="Urn">The URN the program declares it with (for checks; not written).</param>
internal sealed record ImportEntry(string Type, string Name, string LogicalName, string? Id, string? Parent, bool Component, string Urn);

/// <summary>A Terraform resource taken over by the stack, and the stack resource it becomes.</summary>
internal sealed record AdoptedResource(string TerraformAddress, string Type, string LogicalName, string Why);

/// <summary>What can be adopted: the import entries and the Terraform addresses they take over.</summary>
internal sealed record Adoption(IReadOnlyList<ImportEntry> Entries, IReadOnlyList<AdoptedResource> Adopted, IReadOnlyList<string> NameMismatches);

/// <summary>
/// Matches the resources the program declares (from its offline plan of the migrated stack file) with the
/// Terraform resources they would replace, by type, connector and name, and writes the import file.
/// </summary>
internal static class ImportFileWriter
{
    public static Adoption Match(Plan plan, PsoxyDeployment deployment)
    {
        var adopted = new List<(PlannedResource Resource, string Id, AdoptedResource What)>();
        var mismatches = new List<string>();
        var connectorIds = deployment.Connectors.Select(c => c.Spec.Id).ToHashSet(StringComparer.Ordinal);

        MigratedConnector? ConnectorOf(PlannedResource resource)
        {
            for (var r = plan.Parent(resource); r is not null; r = plan.Parent(r))
            {
                if (!r.Custom && connectorIds.Contains(r.Name))
                {
                    return deployment.Connectors.First(c => c.Spec.Id == r.Name);
                }
            }

            return null;
        }

        string? FunctionNameOf(MigratedConnector connector, string functionType) =>
            plan.Resources.Where(r => r.Type == functionType && ConnectorOf(r) == connector).Select(r => Text(r, "name")).FirstOrDefault();

        void Adopt(PlannedResource resource, string id, TerraformResource from, string why) =>
            adopted.Add((resource, id, new AdoptedResource(from.Address, resource.Type, resource.Name, why)));

        foreach (var resource in plan.Resources.Where(r => r.Custom))
        {
            var connector = ConnectorOf(resource);
            var name = Text(resource, "name");
            switch (resource.Type)
            {
                case "aws:lambda/function:Function" when connector is not null:
                    if (name == connector.FunctionName)
                    {
                        Adopt(resource, name, connector.Function, "Lambda function");
                    }
                    else
                    {
                        mismatches.Add($"Lambda function of {connector.Spec.Id}: Terraform's is '{connector.FunctionName}', the stack's '{name}' (a new one is created)");
                    }

                    break;
                case "aws:lambda/functionUrl:FunctionUrl" when connector?.Parts.GetValueOrDefault("url") is { } url
                    && FunctionNameOf(connector, "aws:lambda/function:Function") == connector.FunctionName:
                    Adopt(resource, connector.FunctionName, url, "function URL (same URL, so Worklytics keeps working)");
                    break;
                case "aws:iam/role:Role" when name is not null:
                    if (connector?.Parts.GetValueOrDefault("execution-role") is { } role && role.String("name") == name)
                    {
                        Adopt(resource, name, role, "execution role");
                    }
                    else if (connector is null && deployment.CallerRole is { } caller && caller.String("name") == name)
                    {
                        Adopt(resource, name, caller, "caller role (same ARN, so Worklytics keeps its settings)");
                    }

                    break;
                case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                    // Adopted rather than left to `terraform destroy`, which would detach the policy from the adopted role.
                    var attachedRole = Text(resource, "role");
                    var policyArn = Text(resource, "policyArn");
                    if (deployment.State.Managed("aws_iam_role_policy_attachment").FirstOrDefault(a => a.String("role") == attachedRole && a.String("policy_arn") == policyArn) is { } attachment)
                    {
                        Adopt(resource, $"{attachedRole}/{policyArn}", attachment, "managed policy attachment (a `terraform destroy` would otherwise detach it from the adopted role)");
                    }

                    break;
                case "aws:cloudwatch/logGroup:LogGroup" when connector?.Parts.GetValueOrDefault("log-group") is { } logGroup && logGroup.String("name") == name:
                    Adopt(resource, name!, logGroup, "log group (its logs are kept)");
                    break;
                case "aws:cognito/identityPool:IdentityPool":
                    var poolName = Text(resource, "identityPoolName");
                    if (deployment.State.Managed("aws_cognito_identity_pool").FirstOrDefault(p => p.String("identity_pool_name") == poolName) is { } pool && pool.String("id") is { } poolId)
                    {
                        Adopt(resource, poolId, pool, "Cognito identity pool (its identities are kept)");
                    }

                    break;
                case "aws:ssm/parameter:Parameter" when name is not null:
                    var wanted = PsoxyDeploymentReader.NormalizeParameterName(name);
                    if (deployment.State.Managed("aws_ssm_parameter").FirstOrDefault(p => PsoxyDeploymentReader.NormalizeParameterName(p.String("name") ?? string.Empty) == wanted) is { } parameter)
                    {
                        Adopt(resource, wanted, parameter, "SSM parameter (same name; the value set from psoxy config is the same)");
                    }

                    break;
                case "gcp:cloudfunctionsv2/function:Function" when connector is not null:
                    if (name == connector.FunctionName)
                    {
                        Adopt(resource, $"projects/{deployment.GcpProject}/locations/{deployment.GcpRegion}/functions/{name}", connector.Function, "Cloud Function (same URL)");
                    }
                    else
                    {
                        mismatches.Add($"Cloud Function of {connector.Spec.Id}: Terraform's is '{connector.FunctionName}', the stack's '{name}' (a new one is created)");
                    }

                    break;
                case "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding" when connector?.Parts.GetValueOrDefault("invokers") is { } binding
                    && FunctionNameOf(connector, "gcp:cloudfunctionsv2/function:Function") == connector.FunctionName:
                    Adopt(resource, $"projects/{deployment.GcpProject}/locations/{deployment.GcpRegion}/services/{connector.FunctionName} roles/run.invoker", binding, "invoker binding");
                    break;
                case "gcp:projects/service:Service":
                    var service = Text(resource, "service");
                    if (deployment.State.Managed("google_project_service").FirstOrDefault(s => s.String("service") == service) is { } enabled)
                    {
                        Adopt(resource, $"{deployment.GcpProject}/{service}", enabled, "enabled API");
                    }

                    break;
            }
        }

        // One entry per adopted resource, preceded by the components above it (created empty by the import).
        var entries = new List<ImportEntry>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        string KeyOf(PlannedResource r)
        {
            if (keys.TryGetValue(r.Urn, out var known))
            {
                return known;
            }

            var key = keys.ContainsValue(r.Name) ? $"{r.Name}-{r.Type[(r.Type.LastIndexOf(':') + 1)..].ToLowerInvariant()}" : r.Name;
            keys[r.Urn] = key;
            return key;
        }

        string? ParentKey(PlannedResource r) => plan.Parent(r) is { ParentUrn: not null } parent ? KeyOf(parent) : null;

        void AddComponents(PlannedResource r)
        {
            if (plan.Parent(r) is { ParentUrn: not null } parent && !keys.ContainsKey(parent.Urn))
            {
                AddComponents(parent);
                entries.Add(new ImportEntry(parent.Type, KeyOf(parent), parent.Name, null, ParentKey(parent), Component: true, parent.Urn));
            }
        }

        foreach (var (resource, id, _) in adopted)
        {
            AddComponents(resource);
            entries.Add(new ImportEntry(resource.Type, KeyOf(resource), resource.Name, id, ParentKey(resource), Component: false, resource.Urn));
        }

        return new Adoption(entries, adopted.Select(a => a.What).ToList(), mismatches);
    }

    /// <summary>The <c>pulumi import --file</c> document: every parent is an entry of the file, so the name table is empty.</summary>
    public static string Render(IReadOnlyList<ImportEntry> entries)
    {
        var resources = new JsonArray();
        foreach (var e in entries)
        {
            var item = new JsonObject { ["type"] = e.Type, ["name"] = e.Name };
            if (e.LogicalName != e.Name)
            {
                item["logicalName"] = e.LogicalName;
            }

            if (e.Component)
            {
                item["component"] = true;
            }
            else
            {
                item["id"] = e.Id;
            }

            if (e.Parent is not null)
            {
                item["parent"] = e.Parent;
            }

            resources.Add(item);
        }

        var document = new JsonObject { ["nameTable"] = new JsonObject(), ["resources"] = resources };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }

    private static string? Text(PlannedResource resource, string input) =>
        resource.Inputs.TryGetPropertyValue(input, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
