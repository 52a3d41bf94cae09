using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Pulumi;
using Pulumi.Aws.CloudWatch;
using Pulumi.Aws.Cognito;
using Pulumi.Aws.Iam;
using Pulumi.Aws.Lambda;
using Pulumi.Aws.Lambda.Inputs;
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

    /// <summary>With federated auth: the pool the instance's developer identity lives in.</summary>
    public IdentityPool? IdentityPool { get; init; }

    public required string DeveloperProviderName { get; init; }
    public required AwsConnectionSettings Connection { get; init; }
    public required AwsBundleLocation Bundle { get; init; }

    /// <summary>The exact ARNs of the shared parameters (salt, encryption key).</summary>
    public required IReadOnlyList<string> SharedParameterArns { get; init; }

    public required Output<string> CallerRoleArn { get; init; }
}

/// <summary>
/// One connector's proxy on AWS: its Lambda function behind an IAM-authenticated function URL, the execution role
/// that can read only the shared parameters and its own, its log group, and the identity Entra ID trusts (a Cognito
/// developer identity, or with certificate auth the private key in SSM).
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
        // Explicit, whatever Psoxy would derive from the function name: the prefixes are this stack's choice.
        if (settings.SsmParameterPrefix.Length > 0)
        {
            // As Psoxy: unset means the root, where an empty prefix puts the shared parameters.
            variables.Add("PATH_TO_SHARED_CONFIG", settings.SsmParameterPrefix);
        }

        variables.Add("PATH_TO_INSTANCE_CONFIG", instancePrefix);

        var stored = new Dictionary<string, Output<string>>(StringComparer.Ordinal);
        Output<string>? poolArn = null;
        if (args.IdentityPool is { } pool)
        {
            IdentityId = LookUpIdentity(args, pool);
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
            _ = AwsHost.SecureParameter($"{name}-private-key", instancePrefix + AwsNames.PrivateKeyParameter, certificate.PrivateKeyPem,
                $"Psoxy {connector.DisplayName}: private key of the Entra application's certificate (PKCS#8 PEM).", settings, this, stored);
            _ = AwsHost.SecureParameter($"{name}-private-key-id", instancePrefix + AwsNames.PrivateKeyIdParameter, certificate.KeyId,
                $"Psoxy {connector.DisplayName}: SHA-1 thumbprint of the Entra application's certificate.", settings, this, stored);
        }
        else
        {
            throw new InvalidOperationException($"Connector '{connector.Id}': neither an identity pool (federated auth) nor a certificate (certificate auth).");
        }

        StoredSecrets = stored;

        var role = new Role($"{name}-execution-role", new RoleArgs
        {
            Name = names.ExecutionRoleName(connector),
            Description = $"Psoxy {connector.DisplayName} proxy ({environment}): the Lambda function's execution role.",
            AssumeRolePolicy = IamPolicy.Document([IamPolicy.TrustService("lambda.amazonaws.com")]),
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
            S3Key = args.Bundle.Key,
            SourceCodeHash = AwsHost.Optional(args.Bundle.SourceCodeHash),
            KmsKeyArn = AwsHost.Optional(settings.KmsKeyArn),
            Environment = new FunctionEnvironmentArgs { Variables = variables },
            Region = AwsHost.Optional(settings.Region),
        }, new CustomResourceOptions
        {
            Parent = this,
            DependsOn = { logGroup, basicExecution, resourceAccess },
        });

        var url = new FunctionUrl($"{name}-function-url", new FunctionUrlArgs
        {
            FunctionName = Function.Name,
            // Only signed requests from principals allowed to invoke it (the caller role); never anonymous.
            AuthorizationType = "AWS_IAM",
            Region = AwsHost.Optional(settings.Region),
        }, new CustomResourceOptions { Parent = this });

        EndpointUrl = url.FunctionUrlResult.Apply(u => u.EndsWith('/') ? u : u + "/");
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
            ["identityId"] = IdentityId,
        });
    }

    /// <summary>
    /// The execution role's one inline policy: read the shared parameters, read and write the instance's own (Psoxy
    /// keeps locks and cached tokens there), mint this pool's OpenID tokens, and decrypt with the configured key.
    /// </summary>
    private static Output<string> ResourceAccessPolicy(AwsProxyInstanceArgs args, string instancePrefix, Output<string>? poolArn) =>
        (poolArn ?? Output.Create(string.Empty)).Apply(pool =>
        {
            var statements = new List<System.Text.Json.Nodes.JsonObject>
            {
                IamPolicy.Allow("ReadSharedSSMParameters",
                    ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                    args.SharedParameterArns),
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
                statements.Add(IamPolicy.Allow("AllowKMSUse", ["kms:Decrypt"], [key]));
            }

            return IamPolicy.Document(statements);
        });

    private static Output<string> LookUpIdentity(AwsProxyInstanceArgs args, IdentityPool pool) =>
        // Cognito registers the identity for login "<developer provider>=<client id>" on first call and returns the
        // same id afterwards, so asking on every deployment is safe. A preview never calls AWS: the id shows as unknown.
        Output.Tuple(pool.Id, args.ClientId).Apply(t =>
        {
            var (poolId, clientId) = t;
            if (Deployment.Instance.IsDryRun)
            {
                return OutputUtilities.CreateUnknown(string.Empty);
            }

            return Output.Create(LookUpIdentityAsync(args.Connection, poolId, args.DeveloperProviderName, clientId));
        });

    private static async Task<string> LookUpIdentityAsync(AwsConnectionSettings connection, string poolId, string developerProviderName, string clientId)
    {
        using var client = new CognitoDeveloperIdentityClient(connection);
        return await client.GetIdentityIdAsync(poolId, developerProviderName, clientId).ConfigureAwait(false);
    }
}
