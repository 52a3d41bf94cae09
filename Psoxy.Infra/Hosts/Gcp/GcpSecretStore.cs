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

/// <summary>How a value is stored in Secret Manager.</summary>
internal sealed class GcpSecretSpec
{
    public required string Slug { get; init; }
    public required string SecretId { get; init; }
    public required string EnvironmentVariable { get; init; }

    /// <summary>The value; must be a secret Output so it never shows in plain text.</summary>
    public required Output<string> Value { get; init; }

    /// <summary>
    /// A value that must outlive mistakes (salt, encryption key): the secret is protected, and a replaced version is
    /// disabled rather than destroyed, so it can be re-enabled.
    /// </summary>
    public bool Keep { get; init; }
}

internal static class GcpSecretStore
{
    public const string AccessorRole = "roles/secretmanager.secretAccessor";

    /// <summary>Declares the secret (user-managed replication) and its version, named <c>&lt;name&gt;</c>.</summary>
    public static GcpStoredSecret Store(Resource parent, string name, GcpHostContext host, GcpSecretSpec spec)
    {
        var secret = new Secret(name, new SecretArgs
        {
            Project = host.ProjectId,
            SecretId = spec.SecretId,
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
            Parent = parent,
            DependsOn = host.Services.ToList(),
            Protect = spec.Keep,
            // Replicas are fixed when the secret is created (changing them replaces it), as in Psoxy.
            IgnoreChanges = { "replication" },
        });

        var data = Output.CreateSecret(spec.Value);
        var version = new SecretVersion($"{name}-version", new SecretVersionArgs
        {
            Project = host.ProjectId,
            Secret = secret.Id,
            SecretData = data,
            DeletionPolicy = spec.Keep ? "DISABLE" : "DELETE",
        }, new CustomResourceOptions { Parent = parent });

        return new GcpStoredSecret(spec.Slug, spec.EnvironmentVariable, secret, version, data);
    }
}
