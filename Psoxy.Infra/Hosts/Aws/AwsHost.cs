using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Pulumi;
using Pulumi.Aws.Iam;
using Pulumi.Aws.S3;
using Pulumi.Aws.S3.Inputs;

namespace Psoxy.Infra.Hosts.Aws;

internal sealed class AwsHostArgs
{
    public required ProxyHostContext Context { get; init; }
    public required AwsHostSettings Settings { get; init; }

    /// <summary>The account the credentials were checked to belong to (<see cref="AwsPreflight"/>).</summary>
    public required AwsAccount Account { get; init; }

    /// <summary>Every connector that will be deployed: the caller role may invoke exactly their functions.</summary>
    public required IReadOnlyList<ConnectorSpec> Connectors { get; init; }

    /// <summary>How the program itself reaches AWS (same region and credentials as the AWS provider).</summary>
    public required AwsConnectionSettings Connection { get; init; }

    /// <summary>Where the instances' developer identity ids come from.</summary>
    public required IDeveloperIdentities Identities { get; init; }
}

/// <summary>
/// AWS as the proxy host: one Lambda per connector (each with its own Cognito identity pool under federated auth),
/// plus what they share: the pseudonym salt and encryption key in SSM, the bundle, and the role the analytics
/// service assumes to invoke them.
/// </summary>
internal sealed class AwsHost : ComponentResource, IProxyHost
{
    public const string TypeToken = "psoxy:aws:Host";

    private readonly AwsHostArgs _args;
    private readonly AwsNames _names;
    private readonly BundleLocation _bundle;
    private readonly AwsParameterStore _parameters;
    private readonly IReadOnlyList<Output<string>> _sharedParameterArns;
    private readonly HashSet<string> _deployed = new(StringComparer.Ordinal);

    public string WorklyticsHostName => "AWS";

    /// <summary>The region the proxies run in.</summary>
    public string Region => _args.Connection.Region;

    /// <summary>The role the analytics service assumes to invoke the proxies.</summary>
    public Output<string> CallerRoleArn { get; }

    /// <summary>
    /// The developer provider name the Lambdas log in with, Psoxy's <c>&lt;environment&gt;-azure-access</c>: the same in
    /// every connector's pool, as a provider name is scoped to its pool.
    /// </summary>
    public string DeveloperProviderName { get; }

    /// <summary>The shared values stored in SSM by parameter name, to check they only ever travel as secrets.</summary>
    internal IReadOnlyDictionary<string, Output<string>> StoredSecrets => _parameters.Stored;

    public AwsHost(string name, AwsHostArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        _args = args;
        var settings = args.Settings;
        var environment = args.Context.Environment;
        _names = new AwsNames(args.Account.Partition, Region, args.Account.AccountId, environment);
        DeveloperProviderName = $"{environment}-azure-access";

        _bundle = BundleArtifact.Locate(settings.DeploymentBundle, path => UploadBundle(name, settings, environment, path));

        // Shared by every instance; Psoxy reads them below PATH_TO_SHARED_CONFIG.
        _parameters = new AwsParameterStore(settings);
        var shared = ProxyConfigValues.Shared(args.Context.Secrets);
        // The instances' policies name these parameters by the ARNs AWS reports for them.
        _sharedParameterArns = [.. _parameters.StoreAll(this, name, settings.SsmParameterPrefix, shared).Select(p => p.Arn)];

        var callerRole = CreateCallerRole(name, settings, args.Connectors);
        CallerRoleArn = callerRole.Arn;

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["developerProviderName"] = args.Context.Auth == AuthMode.Federated ? DeveloperProviderName : null,
            ["callerRoleArn"] = CallerRoleArn,
            ["region"] = Region,
        });
    }

    public IProxyInstance Deploy(ConnectorSpec connector, EntraConnection connection)
    {
        // The caller policy was written for the connectors announced up front; anything else could not be invoked.
        if (!_args.Connectors.Any(c => c.Id == connector.Id) || !_deployed.Add(connector.Id))
        {
            throw new InvalidOperationException($"Connector '{connector.Id}' was not announced to the AWS host, or is deployed twice.");
        }

        var instance = new AwsProxyInstance(connector.Id, new AwsProxyInstanceArgs
        {
            Connector = connector,
            Context = _args.Context,
            Settings = _args.Settings,
            Names = _names,
            ClientId = connection.ClientId,
            Certificate = connection.Certificate,
            DeveloperProviderName = DeveloperProviderName,
            Connection = _args.Connection,
            Identities = _args.Identities,
            Bundle = _bundle,
            SharedParameterArns = _sharedParameterArns,
            CallerRoleArn = CallerRoleArn,
        }, new ComponentResourceOptions { Parent = this });
        return instance;
    }

    /// <summary>Uploads a local bundle to a private bucket of this environment.</summary>
    private BundleLocation UploadBundle(string name, AwsHostSettings settings, string environment, string path)
    {
        var bucket = new Bucket($"{name}-artifacts", new BucketArgs
        {
            // A random suffix: bucket names are global.
            BucketPrefix = $"{environment}-artifacts-",
            Region = Optional(settings.Region),
        }, new CustomResourceOptions { Parent = this });

        var publicAccessBlock = new BucketPublicAccessBlock($"{name}-artifacts-public-access", new BucketPublicAccessBlockArgs
        {
            Bucket = bucket.Id,
            BlockPublicAcls = true,
            BlockPublicPolicy = true,
            IgnorePublicAcls = true,
            RestrictPublicBuckets = true,
            Region = Optional(settings.Region),
        }, new CustomResourceOptions { Parent = this });

        var encryption = new BucketServerSideEncryptionConfiguration($"{name}-artifacts-encryption", new Pulumi.Aws.S3.BucketServerSideEncryptionConfigurationArgs
        {
            Bucket = bucket.Id,
            Rules =
            {
                new BucketServerSideEncryptionConfigurationRuleArgs
                {
                    ApplyServerSideEncryptionByDefault = new BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs
                    {
                        SseAlgorithm = settings.KmsKeyArn is null ? "AES256" : "aws:kms",
                        KmsMasterKeyId = Optional(settings.KmsKeyArn),
                    },
                    BucketKeyEnabled = settings.KmsKeyArn is not null,
                },
            },
            Region = Optional(settings.Region),
        }, new CustomResourceOptions { Parent = this });

        var fileName = settings.DeploymentBundle.FileName;
        var upload = new BucketObjectv2($"{name}-bundle", new BucketObjectv2Args
        {
            Bucket = bucket.Id,
            Key = $"{environment}/{fileName}",
            Source = new FileAsset(path),
            Region = Optional(settings.Region),
        }, new CustomResourceOptions
        {
            Parent = this,
            // Never readable publicly, not even for an instant.
            DependsOn = { publicAccessBlock, encryption },
        });

        return new BundleLocation(upload.Bucket, upload.Key, BundleArtifact.Sha256(path));
    }

    /// <summary>An optional input: left unset (not even null) when there is no value.</summary>
    internal static Input<string>? Optional(string? value) => value is null ? null : (Input<string>)value;

    /// <summary>
    /// The role the analytics service assumes to invoke the proxies: trusted by exactly the configured GCP service
    /// accounts (web identity federation) and AWS principals, allowed to invoke exactly these functions.
    /// </summary>
    private Role CreateCallerRole(string name, AwsHostSettings settings, IReadOnlyList<ConnectorSpec> connectors)
    {
        var trust = settings.CallerGcpServiceAccountIds.Select(IamPolicy.TrustGoogleIdentity)
            .Concat(settings.CallerAwsArns.Select(IamPolicy.TrustAwsPrincipal))
            .ToList();
        if (trust.Count == 0)
        {
            // A trust policy needs a statement. The account root delegates to the account's own IAM policies, so only
            // its administrators can assume the role; the role (and its ARN for Worklytics) stays stable until
            // callers are added. The configuration reader warns about it.
            trust.Add(IamPolicy.TrustAwsPrincipal(_names.AccountRootArn));
        }

        if (_args.Context.Options.AllowedDataAccessIpBlocks is { } ipBlocks)
        {
            // aws module: the caller role may be assumed only from the allowed blocks (the proxy checks them again).
            trust = trust.Select(statement => IamPolicy.WithSourceIp(statement, ipBlocks)).ToList();
        }

        var role = new Role($"{name}-caller-role", new RoleArgs
        {
            Name = _names.CallerRoleName,
            Description = $"Psoxy ({_args.Context.Environment}): assumed by the analytics service to invoke the proxies.",
            AssumeRolePolicy = IamPolicy.Document(trust),
            PermissionsBoundary = Optional(settings.PermissionsBoundaryArn),
        }, new CustomResourceOptions { Parent = this });

        _ = new RolePolicy($"{name}-caller-access", new RolePolicyArgs
        {
            Name = _names.CallerRoleName + "Access",
            Role = role.Name,
            Policy = IamPolicy.Document(
            [
                IamPolicy.Allow("InvokeApiConnectors",
                    ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"],
                    connectors.Select(_names.FunctionArn)),
            ]),
        }, new CustomResourceOptions { Parent = this });

        return role;
    }
}
