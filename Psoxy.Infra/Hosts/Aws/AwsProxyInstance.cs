using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Pulumi;
using Pulumi.Aws.CloudWatch;
using Pulumi.Aws.Cognito;
using Pulumi.Aws.Iam;
using Pulumi.Aws.Lambda;
using Pulumi.Aws.Lambda.Inputs;
using Pulumi.Aws.Ssm;
using Pulumi.Utilities;

namespace Psoxy.Infra.Hosts.Aws;

internal sealed class AwsProxyInstanceArgs
{
    public required ConnectorSpec Connector { get; init; }
    public required ProxyHostContext Context { get; init; }
    public required AwsHostSettings Settings { get; init; }
    public required AwsNames Names { get; init; }
    public required Output<string> ClientId { get; init; }

    /// <summary>With certificate auth: the key the proxy signs its token requests with.</summary>
    public CertificateCredential? Certificate { get; init; }

    public required string DeveloperProviderName { get; init; }
    public required AwsConnectionSettings Connection { get; init; }

    /// <summary>Where the instance's developer identity id comes from (federated auth).</summary>
    public required IDeveloperIdentities Identities { get; init; }
    public required BundleLocation Bundle { get; init; }

    /// <summary>The exact ARNs of the shared parameters (salt, encryption key).</summary>
    public required IReadOnlyList<Output<string>> SharedParameterArns { get; init; }

    public required Output<string> CallerRoleArn { get; init; }
}

/// <summary>
/// One connector's proxy on AWS: its Lambda function behind an IAM-authenticated function URL, the execution role
/// that can read only the shared parameters and its own, its log group, and the identity Entra ID trusts: a
/// developer identity in the connector's own Cognito identity pool (or, with certificate auth, the private key in SSM).
/// </summary>
internal sealed class AwsProxyInstance : ComponentResource, IProxyInstance
{
    public const string TypeToken = "psoxy:aws:ProxyInstance";

    /// <summary>Cognito signs developer identities' OpenID tokens with this issuer.</summary>
    public const string CognitoIssuer = "https://cognito-identity.amazonaws.com";

    /// <summary>The request handler for a function URL (payload format 2.0).</summary>
    public const string Handler = "co.worklytics.psoxy.AwsApiGatewayV2ApiDataRequestHandler";

    public const string SecretsStore = "AWS_SSM_PARAMETER_STORE";

    private readonly FederatedIdentity? _federatedIdentity;

    /// <summary>The Cognito identity id the Lambda authenticates as; unknown until deployment. Null with certificate auth.</summary>
    public Output<string>? IdentityId { get; }

    /// <summary>The id of the connector's own Cognito identity pool (federated auth); null with certificate auth.</summary>
    public Output<string>? IdentityPoolId { get; }

    /// <summary>The identity Entra ID trusts. Federated auth only: with certificate auth the stack never asks.</summary>
    public FederatedIdentity FederatedIdentity =>
        _federatedIdentity ?? throw new InvalidOperationException("With certificate auth an AWS proxy instance has no federated identity.");

    public Function Function { get; }

    public Output<string> EndpointUrl { get; }

    public Output<WorklyticsConnection> Worklytics { get; }

    /// <summary>The values stored in SSM by parameter name (certificate auth), to check they only travel as secrets.</summary>
    internal IReadOnlyDictionary<string, Output<string>> StoredSecrets { get; }

    public AwsProxyInstance(string name, AwsProxyInstanceArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        var connector = args.Connector;
        var settings = args.Settings;
        var names = args.Names;
        var environment = args.Context.Environment;
        var functionName = names.FunctionName(connector);
        var instancePrefix = ProxyEnvironment.InstancePrefix(settings.SsmParameterPrefix, connector);

        var variables = ProxyEnvironment.Common(connector, args.Context, args.ClientId, settings.TimeoutSeconds, settings.DeploymentBundle.FileName);
        variables.Add("SECRETS_STORE", SecretsStore);
        ProxyEnvironment.AddConfigPaths(variables, settings.SsmParameterPrefix, instancePrefix);

        var parameters = new AwsParameterStore(settings);
        Output<string>? poolArn = null;
        if (args.Context.Auth == AuthMode.Federated)
        {
            // A pool per connector, not one per environment: minting a pool's OpenID tokens is allowed for any login,
            // so a function allowed on a shared pool could mint every other connector's identity. Alone in its pool,
            // a function can obtain only its own, and Entra ID accepts it only for this connector's application.
            var pool = new IdentityPool($"{name}-identity-pool", new IdentityPoolArgs
            {
                IdentityPoolName = names.IdentityPoolName(connector),
                DeveloperProviderName = args.DeveloperProviderName,
                AllowUnauthenticatedIdentities = false,
                AllowClassicFlow = false,
                Region = AwsHost.Optional(settings.Region),
            }, new CustomResourceOptions { Parent = this });
            IdentityPoolId = pool.Id;
            IdentityId = args.Identities.IdentityOf(pool.Id, args.ClientId, args.DeveloperProviderName);
            poolArn = pool.Arn;
            variables.Add("IDENTITY_POOL_ID", pool.Id);
            variables.Add("IDENTITY_ID", IdentityId);
            variables.Add("DEVELOPER_NAME_ID", args.DeveloperProviderName);

            // Cognito's OpenID tokens carry the identity pool id as their audience.
            _federatedIdentity = new FederatedIdentity(
                Issuer: CognitoIssuer,
                Audience: pool.Id,
                Subject: IdentityId,
                CredentialName: $"psoxy-{environment}-aws",
                Description: $"Psoxy {connector.DisplayName} proxy on AWS ({environment}): its Cognito developer identity.");
        }
        else if (args.Certificate is { } certificate)
        {
            // Psoxy reads PRIVATE_KEY and PRIVATE_KEY_ID from the instance's parameters.
            _ = parameters.StoreAll(this, name, instancePrefix, ProxyConfigValues.Certificate(certificate, connector.DisplayName));
        }
        else
        {
            throw new InvalidOperationException($"Connector '{connector.Id}': certificate auth without a certificate.");
        }

        StoredSecrets = parameters.Stored;

        // aws-host's custom_api_connector_rules through aws-ssm-rules: a plain String parameter under the instance's
        // own prefix, which only this instance's role may read (ReadInstanceSSMParameters). Not a SecureString, as in
        // Psoxy: rules are configuration, not secrets, and stay readable in the console.
        Parameter? rulesParameter = null;
        if (args.Context.Options.CustomRules.GetValueOrDefault(connector.Id) is { } rules)
        {
            rulesParameter = new Parameter($"{name}-rules", new ParameterArgs
            {
                Name = instancePrefix + CustomRules.RulesName,
                Type = "String",
                InsecureValue = rules.SsmValue,
                Tier = rules.SsmTier,
                Description = $"Psoxy {connector.DisplayName}: custom rules (sha1 {rules.Sha1}), narrowing what the proxy returns.",
                Region = AwsHost.Optional(settings.Region),
            }, new CustomResourceOptions
            {
                Parent = this,
                // Rules shrinking below 4 KB move the parameter from the advanced tier to the standard one, which AWS
                // allows only by re-creating it (the provider forces a replacement): the old one must go first, as
                // the new one has its name.
                DeleteBeforeReplace = true,
            });
        }

        var role = new Role($"{name}-execution-role", new RoleArgs
        {
            Name = names.ExecutionRoleName(connector),
            Description = $"Psoxy {connector.DisplayName} proxy ({environment}): the Lambda function's execution role.",
            AssumeRolePolicy = IamPolicy.Document([IamPolicy.TrustService("lambda.amazonaws.com")]),
            // The organisation's ceiling on what the role may ever do, whatever its policies say.
            PermissionsBoundary = AwsHost.Optional(settings.PermissionsBoundaryArn),
        }, new CustomResourceOptions { Parent = this });

        var basicExecution = new RolePolicyAttachment($"{name}-basic-execution", new RolePolicyAttachmentArgs
        {
            Role = role.Name,
            PolicyArn = names.ManagedPolicyArn("service-role/AWSLambdaBasicExecutionRole"),
        }, new CustomResourceOptions { Parent = this });

        var resourceAccess = new RolePolicy($"{name}-resource-access", new RolePolicyArgs
        {
            Name = functionName + "_resourceAccess",
            Role = role.Name,
            Policy = ResourceAccessPolicy(args, instancePrefix, poolArn),
        }, new CustomResourceOptions { Parent = this });

        // Created before the function, so Lambda never creates it itself without retention or key.
        var logGroup = new LogGroup($"{name}-log-group", new LogGroupArgs
        {
            Name = names.LogGroupName(connector),
            RetentionInDays = settings.LogRetentionDays,
            KmsKeyId = AwsHost.Optional(settings.KmsKeyArn),
            Region = AwsHost.Optional(settings.Region),
        }, new CustomResourceOptions { Parent = this });

        Function = new Function($"{name}-function", new FunctionArgs
        {
            Name = functionName,
            Description = $"Psoxy: pseudonymizing proxy for {connector.DisplayName} ({environment}).",
            Role = role.Arn,
            Runtime = settings.Runtime,
            Handler = Handler,
            // Graviton: cheaper for the same work.
            Architectures = { "arm64" },
            MemorySize = settings.MemorySize,
            Timeout = settings.TimeoutSeconds,
            S3Bucket = args.Bundle.Bucket,
            S3Key = args.Bundle.Object,
            // An uploaded bundle's hash, so a new build under the same key redeploys.
            SourceCodeHash = AwsHost.Optional(args.Bundle.UploadedSha256 is { } sha256 ? Convert.ToBase64String(sha256) : null),
            KmsKeyArn = AwsHost.Optional(settings.KmsKeyArn),
            Environment = new FunctionEnvironmentArgs { Variables = variables },
            Region = AwsHost.Optional(settings.Region),
        }, new CustomResourceOptions
        {
            Parent = this,
            // The rules first: an instance that started without them would serve Psoxy's default rules.
            DependsOn = rulesParameter is null ? [logGroup, basicExecution, resourceAccess] : [logGroup, basicExecution, resourceAccess, rulesParameter],
        });

        var url = new FunctionUrl($"{name}-function-url", new FunctionUrlArgs
        {
            FunctionName = Function.Name,
            // Only signed requests from principals allowed to invoke it (the caller role); never anonymous.
            AuthorizationType = "AWS_IAM",
            Region = AwsHost.Optional(settings.Region),
        }, new CustomResourceOptions { Parent = this });

        EndpointUrl = url.FunctionUrlResult.Apply(ProxyUrls.WithTrailingSlash);
        var region = args.Connection.Region;
        Worklytics = Output.Tuple(PreviewValue.KnownOr(EndpointUrl), PreviewValue.KnownOr(args.CallerRoleArn)).Apply(t => new WorklyticsConnection(connector, "AWS",
        [
            new WorklyticsSetting("Psoxy Base URL", "PROXY_ENDPOINT", t.Item1),
            new WorklyticsSetting("AWS Psoxy Role ARN", "PROXY_AWS_ROLE_ARN", t.Item2),
            new WorklyticsSetting("AWS Psoxy Region", "PROXY_AWS_REGION", region),
        ]));

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["functionName"] = Function.Name,
            ["functionArn"] = Function.Arn,
            ["executionRoleArn"] = role.Arn,
            ["endpointUrl"] = EndpointUrl,
            ["identityPoolId"] = IdentityPoolId,
            ["identityId"] = IdentityId,
        });
    }

    /// <summary>
    /// The execution role's one inline policy: read the shared parameters, read and write the instance's own (Psoxy
    /// keeps locks and cached tokens there), mint OpenID tokens in its own identity pool only, and decrypt with the configured key.
    /// </summary>
    private static Output<string> ResourceAccessPolicy(AwsProxyInstanceArgs args, string instancePrefix, Output<string>? poolArn) =>
        Output.Tuple(poolArn ?? Output.Create(string.Empty), Output.All(args.SharedParameterArns)).Apply(t =>
        {
            var (pool, sharedParameterArns) = t;
            var statements = new List<System.Text.Json.Nodes.JsonObject>
            {
                IamPolicy.Allow("ReadSharedSSMParameters",
                    ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                    sharedParameterArns),
                IamPolicy.Allow("ReadInstanceSSMParameters",
                    ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory", "ssm:GetParametersByPath", "ssm:PutParameter", "ssm:DeleteParameter"],
                    [args.Names.ParameterArn(instancePrefix) + "*"]),
            };
            if (pool.Length > 0)
            {
                statements.Add(IamPolicy.Allow("CognitoDeveloperIdentity", ["cognito-identity:GetOpenIdTokenForDeveloperIdentity"], [pool]));
            }

            if (args.Settings.KmsKeyArn is { } key)
            {
                // aws-proxy-lambda: Encrypt too, because the proxy writes SSM parameters under this key.
                statements.Add(IamPolicy.Allow("AllowKMSUse", ["kms:Decrypt", "kms:Encrypt"], [key]));
            }

            return IamPolicy.Document(statements);
        });
}
