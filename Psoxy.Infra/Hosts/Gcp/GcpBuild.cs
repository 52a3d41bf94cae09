using Pulumi;
using Pulumi.Gcp.ArtifactRegistry;
using Pulumi.Gcp.ArtifactRegistry.Inputs;
using Pulumi.Gcp.ServiceAccount;
using Pulumi.Gcp.Storage;
using ProjectIamMember = Pulumi.Gcp.Projects.IAMMember;
using ProjectIamMemberArgs = Pulumi.Gcp.Projects.IAMMemberArgs;

namespace Psoxy.Infra.Hosts.Gcp;

/// <summary>What every function's build uses: who builds it, where its image goes, and the grants that must exist first.</summary>
/// <param name="ServiceAccountName">The build service account as <c>buildConfig.serviceAccount</c> takes it: <c>projects/&lt;project&gt;/serviceAccounts/&lt;email&gt;</c>.</param>
/// <param name="DockerRepository">The environment's repository as <c>buildConfig.dockerRepository</c> takes it: <c>projects/&lt;project&gt;/locations/&lt;region&gt;/repositories/&lt;id&gt;</c>.</param>
/// <param name="Grants">The build service account's roles and the deployer's actAs on it; a build fails without them.</param>
internal sealed record GcpBuildSetup(Output<string> ServiceAccountName, Output<string> DockerRepository, IReadOnlyList<Resource> Grants);

/// <summary>
/// The identity Cloud Functions (2nd gen) builds run as, instead of the Compute Engine default service account (which
/// is Editor on the project by default): a service account per environment, and the Artifact Registry repository its
/// images go to. Its roles are those Google lists for a custom build service account
/// (<see cref="GoogleGuide"/>: log writer, Artifact Registry writer, object viewer on the function's source), each on
/// the narrowest resource the API allows, plus Psoxy's (v0.6.9 infra/modules/gcp) <see cref="BuilderRole"/>.
/// </summary>
internal static class GcpBuild
{
    /// <summary>Google's page on a custom build service account for Cloud Functions (2nd gen), which the grants follow.</summary>
    public const string GoogleGuide = "https://cloud.google.com/functions/docs/securing/build-custom-sa";

    /// <summary>
    /// Cloud Build's own service account role, which Psoxy v0.6.9 grants its build service account (infra/modules/gcp,
    /// citing Cloud Functions troubleshooting); not in Google's list for a custom build service account, kept so that
    /// builds behave as Psoxy's. Project-level only.
    /// </summary>
    public const string BuilderRole = "roles/cloudbuild.builds.builder";

    /// <summary>
    /// Reads the function's source where Cloud Functions stages it: objects of its own buckets in the project
    /// (<c>gcf-v2-sources-*</c>, <c>gcf-v2-uploads-*</c>, and <c>run-sources-*</c> as Psoxy v0.6.9 lists), which the
    /// program neither names nor creates, so a project-level grant limited by this IAM condition.
    /// </summary>
    public const string StagingBucketsCondition =
        "resource.type == \"storage.googleapis.com/Object\" && (" +
        "resource.name.startsWith(\"projects/_/buckets/gcf-v2-sources-\") || " +
        "resource.name.startsWith(\"projects/_/buckets/gcf-v2-uploads-\") || " +
        "resource.name.startsWith(\"projects/_/buckets/run-sources-\"))";

    /// <summary>Writes the build's logs (project-level only).</summary>
    public const string LogWriterRole = "roles/logging.logWriter";

    /// <summary>Pushes the built image: on the environment's repository only.</summary>
    public const string ArtifactWriterRole = "roles/artifactregistry.writer";

    /// <summary>Reads sources: on the program's own artifacts bucket (an uploaded bundle), and on the staging buckets under <see cref="StagingBucketsCondition"/>.</summary>
    public const string BundleReaderRole = "roles/storage.objectViewer";

    /// <summary>How many of the newest images the repository keeps; older ones are deleted (a function runs the newest).</summary>
    public const int ImagesKept = 3;

    /// <summary>
    /// Declares the build service account, its grants and the repository, as children of <paramref name="parent"/>.
    /// <paramref name="uploadBucket"/> is the bucket of a bundle the program uploaded, which the builds must read; null
    /// for a released bundle in Psoxy's public bucket, which anyone may read.
    /// </summary>
    public static GcpBuildSetup Declare(Resource parent, string name, GcpHostContext host, Input<string>? uploadBucket)
    {
        var options = new CustomResourceOptions { Parent = parent, DependsOn = host.Services.ToList() };
        var account = new Account($"{name}-build-service-account", new AccountArgs
        {
            Project = host.ProjectId,
            AccountId = GcpNames.BuildServiceAccountId(host.Environment),
            DisplayName = $"Psoxy builds ({host.Environment})",
            Description = "Builds the Psoxy Cloud Functions of this environment (instead of the Compute Engine default service account).",
        }, options);

        var repository = new Repository($"{name}-functions-repository", new RepositoryArgs
        {
            Project = host.ProjectId,
            Location = host.Region,
            RepositoryId = GcpNames.FunctionsRepositoryId(host.Environment),
            Description = $"Psoxy ({host.Environment}): images of the Cloud Functions.",
            Format = "DOCKER",
            CleanupPolicyDryRun = false,
            // Every image is deleted unless among the few newest: a function only ever runs its newest.
            CleanupPolicies =
            {
                new RepositoryCleanupPolicyArgs
                {
                    Id = "delete-older-versions",
                    Action = "DELETE",
                    Condition = new RepositoryCleanupPolicyConditionArgs { TagState = "ANY" },
                },
                new RepositoryCleanupPolicyArgs
                {
                    Id = "keep-most-recent-versions",
                    Action = "KEEP",
                    MostRecentVersions = new RepositoryCleanupPolicyMostRecentVersionsArgs { KeepCount = ImagesKept },
                },
            },
            Labels = { { "psoxy-environment", host.Environment } },
        }, options);

        var grantOptions = new CustomResourceOptions { Parent = parent };
        // Non-authoritative members: other grants of these roles in the project are left alone.
        var grants = new List<Resource>
        {
            new ProjectIamMember($"{name}-build-builder", new ProjectIamMemberArgs
            {
                Project = host.ProjectId,
                Role = BuilderRole,
                Member = account.Member,
            }, grantOptions),
            new ProjectIamMember($"{name}-build-log-writer", new ProjectIamMemberArgs
            {
                Project = host.ProjectId,
                Role = LogWriterRole,
                Member = account.Member,
            }, grantOptions),
            new RepositoryIamMember($"{name}-build-artifact-writer", new RepositoryIamMemberArgs
            {
                Project = host.ProjectId,
                Location = host.Region,
                Repository = repository.RepositoryId,
                Role = ArtifactWriterRole,
                Member = account.Member,
            }, grantOptions),
            new ProjectIamMember($"{name}-build-staging-reader", new ProjectIamMemberArgs
            {
                Project = host.ProjectId,
                Role = BundleReaderRole,
                Member = account.Member,
                Condition = new Pulumi.Gcp.Projects.Inputs.IAMMemberConditionArgs
                {
                    Title = "Cloud Functions build source buckets",
                    Description = "Read the function sources Cloud Functions stages for its builds",
                    Expression = StagingBucketsCondition,
                },
            }, grantOptions),
            // Deploying a function built by this account needs actAs on it.
            GcpDeployer.GrantActAs(parent, $"{name}-build-deployer-act-as", host, account),
        };
        if (uploadBucket is not null)
        {
            grants.Add(new BucketIAMMember($"{name}-build-bundle-reader", new BucketIAMMemberArgs
            {
                Bucket = uploadBucket,
                Role = BundleReaderRole,
                Member = account.Member,
            }, grantOptions));
        }

        return new GcpBuildSetup(
            account.Email.Apply(email => $"projects/{host.ProjectId}/serviceAccounts/{email}"),
            repository.RepositoryId.Apply(id => $"projects/{host.ProjectId}/locations/{host.Region}/repositories/{id}"),
            grants);
    }
}
