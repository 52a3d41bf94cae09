using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Pulumi;
using Pulumi.Gcp.Projects;
using Pulumi.Gcp.Storage;

namespace Psoxy.Infra.Hosts.Gcp;

internal sealed class GcpHostArgs
{
    public required ProxyHostContext Context { get; init; }
    public required GcpHostSettings Settings { get; init; }
}

/// <summary>What every resource on the GCP host shares: where it goes and what it waits for.</summary>
/// <param name="ProjectId">The project every resource is declared in, explicitly.</param>
/// <param name="Region">The region of the functions and the artifacts bucket.</param>
/// <param name="Environment">The environment name.</param>
/// <param name="SecretReplicaLocations">Where Secret Manager replicates the secrets.</param>
/// <param name="Services">The enabled project services; resources that need an API depend on them.</param>
/// <param name="DeployerMember">The principal running the deployment as an IAM member (see <see cref="GcpDeployer"/>).</param>
internal sealed record GcpHostContext(
    string ProjectId,
    string Region,
    string Environment,
    IReadOnlyList<string> SecretReplicaLocations,
    IReadOnlyList<Resource> Services,
    Output<string> DeployerMember);

/// <summary>
/// Google Cloud as the proxy host: one Cloud Function per connector, each running as its own service account, all
/// built by the environment's build service account into its Artifact Registry repository.
/// </summary>
internal sealed class GcpHost : ComponentResource, IProxyHost
{
    public const string TypeToken = "psoxy:gcp:Host";

    /// <summary>
    /// The APIs the deployment uses, as Psoxy enables them: functions are built by Cloud Build into Artifact
    /// Registry and run on Cloud Run.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredServices =
    [
        "artifactregistry.googleapis.com",
        "cloudbuild.googleapis.com",
        "cloudfunctions.googleapis.com",
        "cloudresourcemanager.googleapis.com",
        "compute.googleapis.com",
        "iam.googleapis.com",
        "run.googleapis.com",
        "secretmanager.googleapis.com",
        "storage.googleapis.com",
    ];

    private readonly ProxyHostContext _context;
    private readonly GcpHostSettings _settings;
    private readonly GcpHostContext _host;
    private readonly BundleLocation _source;
    private readonly GcpBuildSetup _build;

    public string WorklyticsHostName => "GCP";

    /// <summary>The project the proxies run in.</summary>
    public string ProjectId => _settings.ProjectId;

    /// <summary>The salt and encryption key, stored once for every instance.</summary>
    public IReadOnlyList<GcpStoredSecret> SharedSecrets { get; }

    /// <summary>The prefix of the environment's secret ids (<c>PATH_TO_SHARED_CONFIG</c>).</summary>
    public string SecretPrefix { get; }

    public GcpHost(string name, GcpHostArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        _context = args.Context;
        _settings = args.Settings;
        SecretPrefix = GcpNames.SecretPrefix(_context.Environment);

        // Never disabled on destroy: other workloads in the project may use the same APIs.
        var services = RequiredServices.Select(api => (Resource)new Service($"{name}-{api.Split('.')[0]}", new ServiceArgs
        {
            Project = ProjectId,
            ServiceName = api,
            DisableOnDestroy = false,
        }, new CustomResourceOptions { Parent = this })).ToList();
        _host = new GcpHostContext(ProjectId, _settings.Region, _context.Environment, _settings.SecretReplicaLocations, services, GcpDeployer.Member());

        SharedSecrets = new GcpSecretStore(_host).StoreAll(this, name, SecretPrefix, ProxyConfigValues.Shared(_context.Secrets));

        _source = BundleArtifact.Locate(_settings.DeploymentBundle, path => Upload(name, path));
        // Builds read the bundle: an uploaded one from the program's private bucket (granted), a released one from
        // Psoxy's public bucket (readable by anyone, so no grant).
        _build = GcpBuild.Declare(this, name, _host, _source.UploadedSha256 is null ? null : _source.Bucket);

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["projectId"] = ProjectId,
            ["secretPrefix"] = SecretPrefix,
        });
    }

    public IProxyInstance Deploy(ConnectorSpec connector, EntraConnection connection) =>
        new GcpProxyInstance(connector.Id, new GcpProxyInstanceArgs
        {
            Connector = connector,
            Context = _context,
            Settings = _settings,
            Host = _host,
            ClientId = connection.ClientId,
            Certificate = connection.Certificate,
            SecretPrefix = SecretPrefix,
            SharedSecrets = SharedSecrets,
            Source = _source,
            Build = _build,
        }, new ComponentResourceOptions { Parent = this });

    /// <summary>Uploads a local bundle to a private bucket of the project.</summary>
    private BundleLocation Upload(string name, string localPath)
    {
        var bucket = new Bucket($"{name}-artifacts", new BucketArgs
        {
            Project = ProjectId,
            Name = GcpNames.ArtifactsBucketName(ProjectId, _context.Environment),
            Location = _settings.Region,
            // IAM only (no object ACLs), and never public whatever IAM says.
            UniformBucketLevelAccess = true,
            PublicAccessPrevention = "enforced",
            ForceDestroy = false,
            Labels = { { "psoxy-environment", _context.Environment } },
        }, new CustomResourceOptions { Parent = this, DependsOn = _host.Services.ToList() });

        var sha256 = BundleArtifact.Sha256(localPath);

        var bundle = new BucketObject($"{name}-bundle", new BucketObjectArgs
        {
            Bucket = bucket.Name,
            Name = GcpNames.BundleObjectName(_context.Environment, Path.GetFileName(localPath), Convert.ToHexStringLower(sha256)),
            Source = new FileAsset(localPath),
            ContentType = "application/zip",
        }, new CustomResourceOptions { Parent = this });

        return new BundleLocation(bundle.Bucket, bundle.Name, sha256);
    }
}
