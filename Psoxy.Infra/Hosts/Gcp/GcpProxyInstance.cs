using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Pulumi;
using Pulumi.Gcp.CloudFunctionsV2;
using Pulumi.Gcp.CloudFunctionsV2.Inputs;
using Pulumi.Gcp.CloudRunV2;
using Pulumi.Gcp.SecretManager;
using Pulumi.Gcp.ServiceAccount;

namespace Psoxy.Infra.Hosts.Gcp;

internal sealed class GcpProxyInstanceArgs
{
    public required ConnectorSpec Connector { get; init; }
    public required ProxyHostContext Context { get; init; }
    public required GcpHostSettings Settings { get; init; }
    public required GcpHostContext Host { get; init; }
    public required Output<string> ClientId { get; init; }

    /// <summary>With certificate auth: the key the proxy signs its token requests with.</summary>
    public CertificateCredential? Certificate { get; init; }

    /// <summary>The environment's secret id prefix (<c>PATH_TO_SHARED_CONFIG</c>).</summary>
    public required string SecretPrefix { get; init; }

    /// <summary>The salt and encryption key every instance reads.</summary>
    public required IReadOnlyList<GcpStoredSecret> SharedSecrets { get; init; }

    public required BundleLocation Source { get; init; }

    /// <summary>Who builds the function and where its image goes.</summary>
    public required GcpBuildSetup Build { get; init; }
}

/// <summary>
/// One connector's proxy on GCP: a Cloud Function (2nd gen) running as its own service account, which Entra ID
/// trusts, may read exactly the secrets it needs, and may be invoked only by the configured members.
/// </summary>
internal sealed class GcpProxyInstance : ComponentResource, IProxyInstance
{
    public const string TypeToken = "psoxy:gcp:ProxyInstance";

    /// <summary>Google signs the identity tokens of service accounts with this issuer.</summary>
    public const string GoogleIssuer = "https://accounts.google.com";

    /// <summary>The audience Entra ID expects for workload identity federation from non-Azure issuers.</summary>
    public const string EntraTokenExchangeAudience = "api://AzureADTokenExchange";

    /// <summary>Psoxy's HTTP entry point in its GCP bundle.</summary>
    public const string EntryPoint = "co.worklytics.psoxy.Route";

    /// <summary>Invoking a 2nd gen function is invoking its Cloud Run service.</summary>
    public const string InvokerRole = "roles/run.invoker";

    public Account ServiceAccount { get; }
    public FederatedIdentity FederatedIdentity { get; }
    public Function Function { get; }

    /// <summary>The grant of <see cref="InvokerRole"/>; null when no member is configured (nobody may invoke).</summary>
    public ServiceIamBinding? Invokers { get; }

    /// <summary>The secrets the function reads, as secret environment variables.</summary>
    public IReadOnlyList<GcpStoredSecret> Secrets { get; }

    public Output<string> EndpointUrl { get; }

    public Output<WorklyticsConnection> Worklytics { get; }

    public GcpProxyInstance(string name, GcpProxyInstanceArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        var connector = args.Connector;
        var environment = args.Context.Environment;
        var host = args.Host;
        var settings = args.Settings;

        ServiceAccount = new Account($"{name}-service-account", new AccountArgs
        {
            Project = host.ProjectId,
            AccountId = GcpNames.ServiceAccountId(environment, connector.Id),
            DisplayName = $"Psoxy {connector.DisplayName} ({environment})",
            Description = $"Runs the Psoxy proxy for {connector.DisplayName}; trusted by its Entra ID application.",
        }, new CustomResourceOptions { Parent = this, DependsOn = host.Services.ToList() });

        // The subject is the service account's numeric unique id, which never changes and is never reused.
        FederatedIdentity = new FederatedIdentity(
            Issuer: GoogleIssuer,
            Audience: EntraTokenExchangeAudience,
            Subject: ServiceAccount.UniqueId,
            CredentialName: $"psoxy-{environment}-gcp",
            Description: $"Psoxy {connector.DisplayName} proxy on GCP ({environment}): its service account's identity tokens.");

        var instancePrefix = ProxyEnvironment.InstancePrefix(args.SecretPrefix, connector);
        var secrets = new List<GcpStoredSecret>(args.SharedSecrets);
        if (args.Certificate is { } certificate)
        {
            // Per connector, so only this connector's service account can read its key.
            secrets.AddRange(new GcpSecretStore(host).StoreAll(this, name, instancePrefix, ProxyConfigValues.Certificate(certificate, connector.DisplayName)));
        }

        Secrets = secrets;

        // Deploying a function that runs as this account needs actAs on it.
        var actAs = GcpDeployer.GrantActAs(this, $"{name}-deployer-act-as", host, ServiceAccount);

        // Per secret, never project-wide: the function reads these and nothing else.
        var grants = secrets.Select(s => (Resource)new SecretIamMember($"{name}-{s.Slug}-accessor", new SecretIamMemberArgs
        {
            Project = host.ProjectId,
            SecretId = s.Secret.SecretId,
            Role = GcpSecretStore.AccessorRole,
            Member = ServiceAccount.Member,
        }, new CustomResourceOptions { Parent = this })).ToList();

        var variables = ProxyEnvironment.Common(connector, args.Context, args.ClientId, settings.TimeoutSeconds, settings.DeploymentBundle.FileName);
        if (args.Context.Auth == AuthMode.Federated)
        {
            // Psoxy asks the metadata server for an identity token with this audience and sends it to Entra ID.
            variables.Add("AUDIENCE", EntraTokenExchangeAudience);
        }

        ProxyEnvironment.AddConfigPaths(variables, args.SecretPrefix, instancePrefix);
        if (args.Context.Options.CustomRules.GetValueOrDefault(connector.Id) is { } rules)
        {
            // gcp-host's custom_api_connector_rules: RULES = base64gzip(rules) on this connector's function only.
            variables.Add(CustomRules.RulesName, rules.GcpVariableValue);
        }

        Function = new Function($"{name}-function", new FunctionArgs
        {
            Project = host.ProjectId,
            Location = host.Region,
            Name = GcpNames.FunctionName(environment, connector.Id),
            Description = $"Psoxy proxy for {connector.DisplayName} ({environment})",
            BuildConfig = new FunctionBuildConfigArgs
            {
                Runtime = settings.Runtime,
                EntryPoint = EntryPoint,
                ServiceAccount = args.Build.ServiceAccountName,
                DockerRepository = args.Build.DockerRepository,
                Source = new FunctionBuildConfigSourceArgs
                {
                    StorageSource = new FunctionBuildConfigSourceStorageSourceArgs
                    {
                        Bucket = args.Source.Bucket,
                        Object = args.Source.Object,
                    },
                },
            },
            ServiceConfig = new FunctionServiceConfigArgs
            {
                ServiceAccountEmail = ServiceAccount.Email,
                AvailableMemory = settings.Memory,
                TimeoutSeconds = settings.TimeoutSeconds,
                MaxInstanceCount = settings.MaxInstances,
                // gcp-proxy-api: several requests per instance (Worklytics reads in parallel), which needs a whole CPU.
                MaxInstanceRequestConcurrency = settings.InstanceConcurrency,
                AvailableCpu = settings.AvailableCpu,
                // Reachable from Worklytics; the invoker binding below decides who gets through.
                IngressSettings = "ALLOW_ALL",
                AllTrafficOnLatestRevision = true,
                EnvironmentVariables = variables,
                // Pinned to version numbers: a new value reaches the function only through a new deployment.
                SecretEnvironmentVariables = secrets.Select(s => new FunctionServiceConfigSecretEnvironmentVariableArgs
                {
                    Key = s.EnvironmentVariable,
                    ProjectId = host.ProjectId,
                    Secret = s.Secret.SecretId,
                    Version = s.Version.Version,
                }).ToList(),
            },
        }, new CustomResourceOptions
        {
            Parent = this,
            // Deployment fails unless the APIs are on, the service account can already read its secrets, the
            // deployer may act as it and the build service account holds its roles.
            DependsOn = host.Services.Concat(grants).Append(actAs).Concat(args.Build.Grants).ToList(),
        });

        // Authoritative for the role on this service: exactly these members, and anyone added by hand is removed.
        var members = settings.InvokerMembers;
        if (members.Count > 0)
        {
            Invokers = new ServiceIamBinding($"{name}-invokers", new ServiceIamBindingArgs
            {
                Project = host.ProjectId,
                Location = host.Region,
                Name = Function.Name,
                Role = InvokerRole,
                Members = members.ToList(),
            }, new CustomResourceOptions { Parent = this });
        }

        // Psoxy's endpoint is the Cloud Run URL of the function, with a trailing slash.
        EndpointUrl = Output.Tuple(Function.ServiceConfig, Function.Url)
            .Apply(t => ProxyUrls.WithTrailingSlash(t.Item1?.Uri is { Length: > 0 } uri ? uri : t.Item2));
        Worklytics = PreviewValue.KnownOr(EndpointUrl).Apply(url => new WorklyticsConnection(connector, "GCP", [new WorklyticsSetting("Psoxy Base URL", "PROXY_ENDPOINT", url)]));
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["serviceAccountEmail"] = ServiceAccount.Email,
            ["serviceAccountUniqueId"] = ServiceAccount.UniqueId,
            ["functionName"] = Function.Name,
            ["endpointUrl"] = EndpointUrl,
        });
    }
}
