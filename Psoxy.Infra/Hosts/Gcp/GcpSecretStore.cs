using Pulumi;
using Pulumi.Gcp.SecretManager;
using Pulumi.Gcp.SecretManager.Inputs;

namespace Psoxy.Infra.Hosts.Gcp;

/// <summary>A value the proxy reads from Secret Manager, bound to the function as a secret environment variable.</summary>
/// <param name="Slug">Short name for the resources that refer to it (e.g. <c>salt</c>).</param>
/// <param name="EnvironmentVariable">The variable Psoxy reads it from (e.g. <c>PSOXY_SALT</c>).</param>
/// <param name="Secret">The secret.</param>
/// <param name="Version">The version holding the value; functions pin its number.</param>
/// <param name="Data">The value as given to the version: always a secret Output.</param>
internal sealed record GcpStoredSecret(string Slug, string EnvironmentVariable, Secret Secret, SecretVersion Version, Output<string> Data);

/// <summary>
/// Secret Manager as Psoxy's secret store on GCP: each value a secret (user-managed replication) and its version,
/// which the functions bind as secret environment variables pinned to the version number.
/// </summary>
internal sealed class GcpSecretStore(GcpHostContext host) : IProxySecretStore<GcpStoredSecret>
{
    public const string AccessorRole = "roles/secretmanager.secretAccessor";

    public GcpStoredSecret Store(Resource owner, string ownerName, string prefix, ProxyConfigValue value)
    {
        var name = $"{ownerName}-{value.ResourceSuffix}";
        var secret = new Secret(name, new SecretArgs
        {
            Project = host.ProjectId,
            SecretId = prefix + value.Name,
            Replication = new SecretReplicationArgs
            {
                UserManaged = new SecretReplicationUserManagedArgs
                {
                    Replicas = host.SecretReplicaLocations
                        .Select(location => new SecretReplicationUserManagedReplicaArgs { Location = location })
                        .ToList(),
                },
            },
            Labels = { { "psoxy-environment", host.Environment } },
        }, new CustomResourceOptions
        {
            Parent = owner,
            DependsOn = host.Services.ToList(),
            // A value that must outlive mistakes: deleting the secret needs a deliberate unprotect.
            Protect = value.Keep,
            // Replicas are fixed when the secret is created (changing them replaces it), as in Psoxy.
            IgnoreChanges = { "replication" },
        });

        var data = Output.CreateSecret(value.Value);
        var version = new SecretVersion($"{name}-version", new SecretVersionArgs
        {
            Project = host.ProjectId,
            Secret = secret.Id,
            SecretData = data,
            // A replaced version of a kept value is disabled rather than destroyed, so it can be re-enabled.
            DeletionPolicy = value.Keep ? "DISABLE" : "DELETE",
        }, new CustomResourceOptions { Parent = owner });

        // Psoxy reads each value from the environment variable of its name.
        return new GcpStoredSecret(value.Slug, value.Name, secret, version, data);
    }
}
