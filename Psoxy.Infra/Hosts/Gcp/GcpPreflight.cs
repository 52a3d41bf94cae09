using Psoxy.Infra.Configuration;
using Pulumi;
using Pulumi.Gcp.Organizations;

namespace Psoxy.Infra.Hosts.Gcp;

/// <summary>Checks made before any resource is declared, so a wrong GCP project is never touched.</summary>
internal static class GcpPreflight
{
    /// <summary>Where the GCP provider takes its project from when <c>gcp:project</c> is not set, in its order.</summary>
    public static readonly IReadOnlyList<string> ProviderProjectVariables = ["GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"];

    /// <summary>Throws a <see cref="RunException"/> naming the problem when the deployment must not proceed.</summary>
    public static async Task VerifyAsync(GcpHostSettings settings)
    {
        // Asking the provider itself covers every way it picks its project (gcp:project, GOOGLE_PROJECT and the
        // other variables it reads).
        var providerProject = (await GetClientConfig.InvokeAsync().ConfigureAwait(false)).Project;
        var problem = ProjectMismatch(settings.ProjectId, providerProject);
        if (problem is not null)
        {
            throw new RunException(problem);
        }

        // The deployer is granted actAs on each service account: whose the credentials are must be known before
        // anything exists. A preview may not know it (the offline plan cannot), and creates nothing.
        var deployer = (await GetClientOpenIdUserInfo.InvokeAsync().ConfigureAwait(false)).Email;
        if (!Deployment.Instance.IsDryRun || !string.IsNullOrEmpty(deployer))
        {
            GcpDeployer.MemberOf(deployer);
        }
    }

    /// <summary>The one-line error when the provider does not target <paramref name="projectId"/>; null when it does.</summary>
    internal static string? ProjectMismatch(string projectId, string? providerProject)
    {
        const string Fix = "set gcp:project to the project that should host the proxies (pulumi config set gcp:project <id>) and psoxy:gcp.projectId to the same value.";
        if (string.IsNullOrEmpty(providerProject))
        {
            return $"Refusing to deploy; nothing was created: psoxy:gcp.projectId = '{projectId}' but the GCP provider has no project (neither gcp:project nor GOOGLE_PROJECT, GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT or CLOUDSDK_CORE_PROJECT is set): {Fix}";
        }

        return string.Equals(projectId, providerProject, StringComparison.Ordinal)
            ? null
            : $"Refusing to deploy; nothing was created: psoxy:gcp.projectId = '{projectId}' but the GCP provider targets project '{providerProject}' (gcp:project or GOOGLE_PROJECT and the like): {Fix}";
    }
}
