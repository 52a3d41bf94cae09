using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Hosts.Gcp;

/// <summary>Checks made before any resource is declared, so a wrong GCP project is never touched.</summary>
internal static class GcpPreflight
{
    /// <summary>Throws a <see cref="Pulumi.RunException"/> naming the problem when the deployment must not proceed.</summary>
    public static void Verify(GcpHostSettings settings)
    {
        // TODO(#5): the GCP provider must target settings.ProjectId.
        _ = settings;
    }
}
