using Psoxy.Infra.Configuration;
using YamlDotNet.Serialization;

namespace Psoxy.Infra.Migration;

/// <summary>Writes the stack file of a migrated deployment: every setting read from the state, no secret.</summary>
internal static class StackFileWriter
{
    /// <param name="rulesPath">The path written for a connector's rules file; default its path relative to the project directory.</param>
    public static string Render(PsoxyDeployment deployment, string environment, bool inPlace, Func<MigratedRules, string>? rulesPath = null)
    {
        var config = new Dictionary<string, object>
        {
            [Key(ConfigKeys.Environment)] = environment,
            [Key(ConfigKeys.MsftTenantId)] = deployment.TenantId,
            [Key(ConfigKeys.Host)] = deployment.Host == HostPlatform.Aws ? "aws" : "gcp",
            [Key(ConfigKeys.Connectors)] = deployment.Connectors.Select(c => c.Spec.Id).ToList(),
        };
        if (deployment.Owners.Count > 0)
        {
            config[Key(ConfigKeys.MsftOwners)] = deployment.Owners.ToList();
        }

        config[Key(ConfigKeys.ExistingApplications)] = deployment.Connectors.ToDictionary(c => c.Spec.Id, c => c.ApplicationObjectId);
        var named = deployment.Connectors.Where(c => c.ApplicationDisplayName.Length > 0).ToList();
        if (named.Count > 0)
        {
            config[Key(ConfigKeys.ExistingApplicationDisplayNames)] = named.ToDictionary(c => c.Spec.Id, c => c.ApplicationDisplayName);
        }

        config[Key(ConfigKeys.PseudonymizeAppIds)] = deployment.PseudonymizeAppIds;
        config[Key(ConfigKeys.EmailCanonicalization)] = deployment.EmailCanonicalization;
        if (deployment.NonProductionConnectors.Count > 0)
        {
            config[Key(ConfigKeys.NonProductionConnectors)] = deployment.NonProductionConnectors.ToList();
        }

        var behaviour = deployment.Behaviour;
        if (behaviour.AllowedDataAccessIpBlocks is { Count: > 0 } blocks)
        {
            config[Key(ConfigKeys.AllowedDataAccessIpBlocks)] = blocks.ToList();
        }

        if (behaviour.EnvironmentVariables.Count > 0)
        {
            config[Key(ConfigKeys.EnvironmentVariables)] = new SortedDictionary<string, string>(behaviour.EnvironmentVariables.ToDictionary(), StringComparer.Ordinal);
        }

        if (behaviour.CustomRules.Count > 0)
        {
            config[Key(ConfigKeys.CustomRules)] = behaviour.CustomRules.ToDictionary(r => r.ConnectorId, r => rulesPath?.Invoke(r) ?? r.File);
        }

        if (deployment.Host == HostPlatform.Aws)
        {
            var aws = new Dictionary<string, object>
            {
                ["accountId"] = deployment.AwsAccountId!,
                ["region"] = deployment.AwsRegion!,
                ["deploymentBundle"] = deployment.DeploymentBundle,
            };
            if (deployment.CallerGcpServiceAccountIds.Count > 0)
            {
                aws["callerGcpServiceAccountIds"] = deployment.CallerGcpServiceAccountIds.ToList();
            }

            if (deployment.CallerAwsArns.Count > 0)
            {
                aws["callerAwsArns"] = deployment.CallerAwsArns.ToList();
            }

            if (inPlace)
            {
                // The same parameters as Terraform's, adopted; side by side, the default prefix keeps the two apart.
                aws["ssmParameterPrefix"] = deployment.SsmPrefix ?? string.Empty;
            }

            if (deployment.LogRetentionDays is { } retention && AwsHostSettingsReader.LogRetentionPeriods.Contains(retention))
            {
                aws["logRetentionDays"] = retention;
            }

            if (deployment.Runtime is { } runtime && Configuration.BundleVersion.RuntimesFor(Path.GetFileName(deployment.DeploymentBundle)).Contains(runtime))
            {
                aws["runtime"] = runtime;
            }

            if (deployment.MemorySize is { } memory and >= 128 and <= 10240)
            {
                aws["memorySize"] = memory;
            }

            if (deployment.TimeoutSeconds is { } timeout and >= 1 and <= 900)
            {
                aws["timeoutSeconds"] = timeout;
            }

            config[Key(ConfigKeys.Aws)] = aws;
            config["aws:region"] = deployment.AwsRegion!;
        }
        else
        {
            var gcp = new Dictionary<string, object>
            {
                ["projectId"] = deployment.GcpProject!,
                ["region"] = deployment.GcpRegion!,
                ["deploymentBundle"] = deployment.DeploymentBundle,
            };
            if (deployment.WorklyticsServiceAccountEmails.Count > 0)
            {
                gcp["worklyticsServiceAccountEmails"] = deployment.WorklyticsServiceAccountEmails.ToList();
            }

            if (deployment.TestPrincipals.Count > 0)
            {
                gcp["testPrincipals"] = deployment.TestPrincipals.ToList();
            }

            if (deployment.Runtime is { } runtime && Configuration.BundleVersion.RuntimesFor(Path.GetFileName(deployment.DeploymentBundle)).Contains(runtime))
            {
                gcp["runtime"] = runtime;
            }

            if (deployment.GcpMemory is { } memory && System.Text.RegularExpressions.Regex.IsMatch(memory, "^[0-9]+(M|Mi|G|Gi)$"))
            {
                gcp["memory"] = memory;
            }

            if (deployment.TimeoutSeconds is { } timeout and >= 1 and <= 3600)
            {
                gcp["timeoutSeconds"] = timeout;
            }

            if (deployment.GcpMaxInstances is { } max and >= 1 and <= 1000)
            {
                gcp["maxInstances"] = max;
            }

            config[Key(ConfigKeys.Gcp)] = gcp;
            config["gcp:project"] = deployment.GcpProject!;
            config["gcp:region"] = deployment.GcpRegion!;
        }

        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();
        var body = serializer.Serialize(new Dictionary<string, object> { ["config"] = config });
        var header =
            $"# Written by `migrate` from the Terraform state of Psoxy {deployment.Version} on {(deployment.Host == HostPlatform.Aws ? "AWS" : "GCP")} "
            + $"({(inPlace ? "in place" : "side by side")}); see MIGRATION.md before `pulumi up`.{Environment.NewLine}"
            + $"# The salt and the encryption key are not in this file: set them as secrets first (MIGRATION.md, step 1).{Environment.NewLine}";
        return header + body;
    }

    private static string Key(string name) => ConfigKeys.Full(name);
}
