using System.Text.Json;
using System.Text.RegularExpressions;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Migration;

/// <summary>Where the hand-off reads a secret from: never its value.</summary>
/// <param name="Description">Where it is, for the hand-off.</param>
internal abstract record SecretSource(string Description);

/// <summary>A secret in the Terraform state (AWS: the SSM parameter or the random_password behind it).</summary>
/// <param name="Resource">The resource holding it.</param>
/// <param name="Attribute">The attribute holding the value (<c>value</c>, <c>result</c>).</param>
internal sealed record StateSecret(TerraformResource Resource, string Attribute, string Description) : SecretSource(Description);

/// <summary>
/// GCP: a Secret Manager secret read as Psoxy's SecretManagerConfigService reads it, whatever version the state or the
/// functions' binding pins: the version its <c>latest-version</c> label names, else <c>latest</c>.
/// </summary>
internal sealed record SecretManagerSecret(string Project, string SecretId, string Description) : SecretSource(Description)
{
    /// <summary>SecretManagerConfigService.VERSION_LABEL (Psoxy v0.6.9, java/impl/gcp).</summary>
    public const string VersionLabel = "latest-version";
}

/// <summary>One Microsoft 365 connector of the Terraform deployment.</summary>
internal sealed record MigratedConnector(
    ConnectorSpec Spec,
    string FunctionName,
    TerraformResource Function,
    IReadOnlyDictionary<string, string> Environment,
    TerraformResource Application,
    string ApplicationObjectId,
    string ApplicationDisplayName)
{
    /// <summary>Other resources of this connector, by role (<c>url</c>, <c>log-group</c>, <c>execution-role</c>, <c>invokers</c>...).</summary>
    public Dictionary<string, TerraformResource> Parts { get; } = new(StringComparer.Ordinal);
}

/// <summary>What <c>migrate</c> read from a Psoxy Terraform state: the settings to carry over and the resources to adopt.</summary>
internal sealed class PsoxyDeployment
{
    public required HostPlatform Host { get; init; }
    public required TerraformState State { get; init; }

    /// <summary>Terraform's environment id, the prefix of its function names (may be empty on GCP).</summary>
    public required string EnvironmentId { get; init; }

    public required string Version { get; init; }
    public required string TenantId { get; init; }
    public required IReadOnlyList<MigratedConnector> Connectors { get; init; }
    public required IReadOnlyList<string> Owners { get; init; }
    public required bool PseudonymizeAppIds { get; init; }
    public required string EmailCanonicalization { get; init; }
    public required IReadOnlyList<string> NonProductionConnectors { get; init; }
    public required SecretSource Salt { get; init; }
    public SecretSource? EncryptionKey { get; init; }

    /// <summary>The IP allowlist, general environment variables and custom rules the deployment runs with.</summary>
    public required ProxyBehaviour Behaviour { get; init; }

    /// <summary>What deserves attention, for the hand-off.</summary>
    public required IReadOnlyList<string> Risks { get; init; }

    // AWS
    public string? AwsAccountId { get; init; }
    public string? AwsRegion { get; init; }
    public string? SsmPrefix { get; init; }
    public TerraformResource? CallerRole { get; init; }
    public IReadOnlyList<string> CallerGcpServiceAccountIds { get; init; } = [];
    public IReadOnlyList<string> CallerAwsArns { get; init; } = [];
    public int? LogRetentionDays { get; init; }
    public string? Runtime { get; init; }
    public int? MemorySize { get; init; }
    public int? TimeoutSeconds { get; init; }

    // GCP
    public string? GcpProject { get; init; }
    public string? GcpRegion { get; init; }
    public IReadOnlyList<string> WorklyticsServiceAccountEmails { get; init; } = [];
    public IReadOnlyList<string> TestPrincipals { get; init; } = [];
    public string? GcpMemory { get; init; }
    public int? GcpMaxInstances { get; init; }

    /// <summary>The public bundle of the same version (and region on AWS).</summary>
    public string DeploymentBundle => Host == HostPlatform.Aws
        ? $"s3://psoxy-public-artifacts-{AwsRegion}/psoxy-aws-{Version}.jar"
        : $"gs://psoxy-public-artifacts/psoxy-gcp-{Version}.zip";
}

/// <summary>Reads a <see cref="PsoxyDeployment"/> out of a <see cref="TerraformState"/>, or says what is missing.</summary>
internal static partial class PsoxyDeploymentReader
{
    public const string SupportedVersions = "0.5.x and 0.6.x";

    [GeneratedRegex(@"psoxy-(aws|gcp)-(?<version>0\.[0-9]+\.[0-9]+(-[A-Za-z0-9.]+)?)")]
    private static partial Regex BundleVersion();

    [GeneratedRegex(@"^https://login\.microsoftonline\.com/(?<tenant>[0-9a-fA-F-]{36})/oauth2/v2\.0/token$")]
    private static partial Regex RefreshEndpoint();

    [GeneratedRegex(@"^arn:(?<partition>aws[a-z-]*):lambda:(?<region>[a-z0-9-]+):(?<account>[0-9]{12}):function:")]
    private static partial Regex LambdaArn();

    [GeneratedRegex("^[0-9]{21}$")]
    private static partial Regex GcpUniqueId();

    public static PsoxyDeployment Read(TerraformState state)
    {
        var lambdas = state.Managed("aws_lambda_function").Where(f => LambdaEnvironment(f).ContainsKey("SOURCE")).ToList();
        var functions = state.Managed("google_cloudfunctions2_function").Where(f => CloudFunctionEnvironment(f).ContainsKey("SOURCE")).ToList();
        if (lambdas.Count == 0 && functions.Count == 0)
        {
            throw new MigrationInputException("this is not a Psoxy deployment's state: it has no Lambda function or Cloud Function (gen2) with Psoxy's SOURCE variable. "
                + $"Found: {Summary(state)}. Run `terraform show -json` in the Terraform root that deploys Psoxy (Psoxy's infra/examples-dev/aws or gcp, or a copy).");
        }

        if (lambdas.Count > 0 && functions.Count > 0)
        {
            throw new MigrationInputException($"this state deploys Psoxy on both AWS ({lambdas.Count} Lambda functions) and GCP ({functions.Count} Cloud Functions); migrate one host at a time: a stack runs on one host.");
        }

        return lambdas.Count > 0 ? ReadAws(state, lambdas) : ReadGcp(state, functions);
    }

    private static PsoxyDeployment ReadAws(TerraformState state, List<TerraformResource> lambdas)
    {
        var missing = new List<string>();
        var risks = new List<string>();
        var connectors = ReadConnectors(state, lambdas, LambdaEnvironment, f => f.String("function_name") ?? string.Empty, missing, risks);
        var first = connectors[0];
        var arn = LambdaArn().Match(first.Function.String("arn") ?? string.Empty);
        if (!arn.Success)
        {
            missing.Add($"the ARN of {first.Function.Address} (its account and region)");
        }

        var store = first.Environment.GetValueOrDefault("SECRETS_STORE", "AWS_SSM_PARAMETER_STORE");
        if (store != "AWS_SSM_PARAMETER_STORE")
        {
            throw new MigrationInputException($"the functions read their secrets from {store} (Psoxy's secrets_store_implementation = \"aws_secrets_manager\"); migrate supports SSM Parameter Store, Psoxy's default. "
                + "Found the salt elsewhere than SSM: move it to an SSM parameter first, or set psoxy:pseudonymSalt by hand.");
        }

        var prefix = first.Environment.GetValueOrDefault("PATH_TO_SHARED_CONFIG", string.Empty);
        var parameters = state.Managed("aws_ssm_parameter").ToList();
        StateSecret? Parameter(string name, string randomPassword, string description)
        {
            var wanted = NormalizeParameterName(prefix + name);
            if (parameters.FirstOrDefault(p => NormalizeParameterName(p.String("name") ?? string.Empty) == wanted) is { } parameter && parameter.Attribute("value") is { ValueKind: JsonValueKind.String })
            {
                return new StateSecret(parameter, "value", $"the SSM parameter {wanted}");
            }

            if (state.Managed("random_password").FirstOrDefault(p => p.Name == randomPassword && p.Attribute("result") is { ValueKind: JsonValueKind.String }) is { } password)
            {
                risks.Add($"The SSM parameter {wanted} is not in this state; its value is taken from {password.Address}, which Terraform wrote into it. If it was changed outside Terraform, set the secret from the parameter instead (`aws ssm get-parameter --with-decryption`).");
                return new StateSecret(password, "result", $"Terraform's {password.Address} (written to {wanted})");
            }

            return null;
        }

        var salt = Parameter("PSOXY_SALT", "pseudonym_salt", "salt");
        var key = Parameter("PSOXY_ENCRYPTION_KEY", "encryption_key", "encryption key");
        if (salt is null)
        {
            missing.Add($"the salt: no SSM parameter {NormalizeParameterName(prefix + "PSOXY_SALT")} nor random_password.pseudonym_salt with a value (was the salt stored outside Terraform?)");
        }

        if (key is null)
        {
            risks.Add("The encryption key (PSOXY_ENCRYPTION_KEY) is not in this state: reversible pseudonyms made so far cannot be reversed by the new deployment unless you set psoxy:encryptionKey yourself.");
        }

        var callerRole = state.Managed("aws_iam_role").FirstOrDefault(r => r.Name == "api-caller")
            ?? state.Managed("aws_iam_role").FirstOrDefault(r => (r.String("name") ?? string.Empty).EndsWith("Caller", StringComparison.Ordinal));
        var gcpCallers = new List<string>();
        var awsCallers = new List<string>();
        if (callerRole is null)
        {
            risks.Add("No caller role (aws_iam_role.api-caller) is in this state: set psoxy:aws.callerGcpServiceAccountIds (Worklytics > Configuration > Service Account Unique ID) before switching Worklytics.");
        }
        else
        {
            ReadTrustPolicy(callerRole, gcpCallers, awsCallers);
        }

        var behaviour = ProxyBehaviourReader.Read(state, connectors, callerRole, risks);
        var trustProblems = callerRole is null ? [] : ProxyBehaviourReader.UnderstoodTrustProblems(callerRole).ToList();
        foreach (var problem in trustProblems)
        {
            risks.Add($"Not understood, so not carried over: {problem}. The stack's caller role trusts only {ConfigKeys.Full(ConfigKeys.Aws)}.callerGcpServiceAccountIds and .callerAwsArns (with {ConfigKeys.Full(ConfigKeys.AllowedDataAccessIpBlocks)} as aws:SourceIp); add what this statement should allow there, or review it.");
        }

        behaviour = behaviour with { NotCarried = [.. behaviour.NotCarried, .. trustProblems.Select(_ => "a caller trust statement")] };

        var logGroups = connectors.Select(c => c.Parts.GetValueOrDefault("log-group")?.Integer("retention_in_days")).OfType<int>().Distinct().ToList();
        if (logGroups.Count > 1)
        {
            risks.Add($"The log groups have different retentions ({string.Join(", ", logGroups)} days); the stack uses the longest for all.");
        }

        var environment = EnvironmentIdOf(connectors);
        Throw(missing, state);
        return new PsoxyDeployment
        {
            Host = HostPlatform.Aws,
            State = state,
            EnvironmentId = environment,
            Version = VersionOf(connectors, state, risks),
            TenantId = TenantOf(connectors),
            Connectors = connectors,
            Owners = OwnersOf(connectors),
            PseudonymizeAppIds = first.Environment.GetValueOrDefault("PSEUDONYMIZE_APP_IDS", "true") == "true",
            EmailCanonicalization = CanonicalizationOf(connectors, risks),
            NonProductionConnectors = connectors.Where(c => c.Environment.GetValueOrDefault("IS_DEVELOPMENT_MODE") == "true").Select(c => c.Spec.Id).ToList(),
            Salt = salt!,
            EncryptionKey = key,
            Behaviour = behaviour,
            Risks = risks,
            AwsAccountId = arn.Groups["account"].Value,
            AwsRegion = arn.Groups["region"].Value,
            SsmPrefix = prefix,
            CallerRole = callerRole,
            CallerGcpServiceAccountIds = gcpCallers,
            CallerAwsArns = awsCallers,
            LogRetentionDays = logGroups.Count == 0 ? null : logGroups.Max(),
            Runtime = first.Function.String("runtime"),
            MemorySize = first.Function.Integer("memory_size"),
            TimeoutSeconds = first.Function.Integer("timeout"),
        };
    }

    private static PsoxyDeployment ReadGcp(TerraformState state, List<TerraformResource> functions)
    {
        var missing = new List<string>();
        var risks = new List<string>();
        var connectors = ReadConnectors(state, functions, CloudFunctionEnvironment, f => f.String("name") ?? string.Empty, missing, risks);
        var first = connectors[0];
        var project = first.Function.String("project");
        var region = first.Function.String("location");
        if (project is null || region is null)
        {
            missing.Add($"the project and location of {first.Function.Address}");
        }

        // Psoxy's PsoxyModule reads the salt and key from its SecretStore, which on GCP is Secret Manager itself
        // (GcpModule.nativeSecretStore: the instance's prefix first, then PATH_TO_SHARED_CONFIG), not the secret
        // environment variables the functions bind; SecretManagerConfigService reads the version the secret's
        // latest-version label names, else 'latest'. Versions added outside Terraform are what the functions read.
        var sharedPrefix = first.Environment.GetValueOrDefault("PATH_TO_SHARED_CONFIG", string.Empty);
        SecretManagerSecret? CurrentSecret(string name, bool required)
        {
            var secretId = sharedPrefix + name;
            var config = TerraformResource.FirstBlock(first.Function.Values, "service_config");
            var bound = config is { } c && c.TryGetProperty("secret_environment_variables", out var list) && list.ValueKind == JsonValueKind.Array
                && list.EnumerateArray().Any(b => b.TryGetProperty("key", out var k) && k.GetString() == name);
            var inState = bound
                || state.Managed("google_secret_manager_secret").Any(r => r.String("secret_id") == secretId)
                || state.Managed("google_secret_manager_secret_version").Any(r => (r.String("secret") ?? string.Empty).EndsWith("/secrets/" + secretId, StringComparison.Ordinal));
            if (project is null)
            {
                return null;
            }

            if (!inState && !required)
            {
                return null;
            }

            if (!inState)
            {
                risks.Add($"The secret {secretId} is not in this state; the hand-off reads it from Secret Manager in project {project}, where the functions read it.");
            }

            var instanceSecrets = connectors.Select(c => c.Environment.GetValueOrDefault("PATH_TO_INSTANCE_CONFIG") + name)
                .Where(id => state.Managed("google_secret_manager_secret").Any(r => r.String("secret_id") == id)).ToList();
            if (instanceSecrets.Count > 0)
            {
                risks.Add($"Instance secrets {string.Join(", ", instanceSecrets)} exist: Psoxy prefers them to {secretId} for their connectors, and the stack has one {name} for all. Check they hold the same value.");
            }

            return new SecretManagerSecret(project, secretId, $"secret {secretId} in project {project}, at the version Psoxy reads (its `{SecretManagerSecret.VersionLabel}` label, else `latest`; not the version pinned in the state)");
        }

        var salt = CurrentSecret("PSOXY_SALT", required: true);
        var key = CurrentSecret("PSOXY_ENCRYPTION_KEY", required: false);
        if (key is null)
        {
            risks.Add("The encryption key (PSOXY_ENCRYPTION_KEY) is not in this state: reversible pseudonyms made so far cannot be reversed by the new deployment unless you set psoxy:encryptionKey yourself.");
        }

        var invokers = connectors.SelectMany(c => c.Parts.GetValueOrDefault("invokers")?.Strings("members") ?? []).Distinct(StringComparer.Ordinal).ToList();
        var ownAccounts = connectors.Select(c => c.Function.Values).Select(v => TerraformResource.FirstBlock(v, "service_config"))
            .Select(c => c is { } sc && sc.TryGetProperty("service_account_email", out var e) ? e.GetString() : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var worklytics = invokers.Where(m => m.StartsWith("serviceAccount:", StringComparison.Ordinal) && !ownAccounts.Contains(m["serviceAccount:".Length..]))
            .Select(m => m["serviceAccount:".Length..]).ToList();
        var testers = invokers.Where(m => m.StartsWith("user:", StringComparison.Ordinal)).ToList();
        var others = invokers.Where(m => !m.StartsWith("user:", StringComparison.Ordinal) && !m.StartsWith("serviceAccount:", StringComparison.Ordinal)).ToList();
        if (others.Count > 0)
        {
            risks.Add($"Invokers that are neither users nor service accounts are not carried over: {string.Join(", ", others)}.");
        }

        var behaviour = ProxyBehaviourReader.Read(state, connectors, callerRole: null, risks);
        Throw(missing, state);
        var serviceConfig = TerraformResource.FirstBlock(first.Function.Values, "service_config");
        return new PsoxyDeployment
        {
            Host = HostPlatform.Gcp,
            State = state,
            EnvironmentId = EnvironmentIdOf(connectors),
            Version = VersionOf(connectors, state, risks),
            TenantId = TenantOf(connectors),
            Connectors = connectors,
            Owners = OwnersOf(connectors),
            PseudonymizeAppIds = first.Environment.GetValueOrDefault("PSEUDONYMIZE_APP_IDS", "true") == "true",
            EmailCanonicalization = CanonicalizationOf(connectors, risks),
            NonProductionConnectors = connectors.Where(c => c.Environment.GetValueOrDefault("IS_DEVELOPMENT_MODE") == "true").Select(c => c.Spec.Id).ToList(),
            Salt = salt!,
            EncryptionKey = key,
            Behaviour = behaviour,
            Risks = risks,
            GcpProject = project,
            GcpRegion = region,
            WorklyticsServiceAccountEmails = worklytics,
            TestPrincipals = testers,
            Runtime = TerraformResource.FirstBlock(first.Function.Values, "build_config") is { } build && build.TryGetProperty("runtime", out var runtime) ? runtime.GetString() : null,
            GcpMemory = Text(serviceConfig, "available_memory"),
            TimeoutSeconds = serviceConfig is { } t && t.TryGetProperty("timeout_seconds", out var timeout) && timeout.TryGetInt32(out var seconds) ? seconds : null,
            GcpMaxInstances = serviceConfig is { } m && m.TryGetProperty("max_instance_count", out var max) && max.TryGetInt32(out var count) ? count : null,
        };
    }

    private static List<MigratedConnector> ReadConnectors(TerraformState state, List<TerraformResource> functions,
        Func<TerraformResource, IReadOnlyDictionary<string, string>> environmentOf, Func<TerraformResource, string> nameOf,
        List<string> missing, List<string> risks)
    {
        var applications = state.Managed("azuread_application").ToList();
        var shared = state.Resources.Where(r => r.Mode == "data" && r.Type == "azuread_application" && r.Name == "existing_connector_app").ToList();
        if (shared.Count > 0 && applications.Count == 0)
        {
            throw new MigrationInputException("this deployment uses Psoxy's shared-application mode (msft_connector_app_object_id; found "
                + $"{shared[0].Address}): every connector authenticates as one Entra application. This program gives each connector its own application, "
                + "so there is nothing per connector to adopt. Missing: one azuread_application per connector. Either let Terraform create per-connector "
                + "applications first (unset msft_connector_app_object_id, apply, admin consent), or deploy a new environment without migrate.");
        }

        var result = new List<MigratedConnector>();
        var skipped = new List<string>();
        foreach (var function in functions)
        {
            var environment = environmentOf(function);
            var key = TerraformState.ModuleKey(function.Address, "api_connector");
            var id = key is not null ? ConnectorCatalog.DeprecatedAliases.GetValueOrDefault(key, key) : null;
            var spec = id is null ? null : ConnectorCatalog.Find(id);
            spec ??= ConnectorCatalog.All.FirstOrDefault(c => c.SourceKind == environment["SOURCE"] && key is null);
            if (spec is null)
            {
                skipped.Add($"{key ?? environment["SOURCE"]} ({function.Address})");
                continue;
            }

            if (environment.GetValueOrDefault("GRANT_TYPE") != "workload_identity_federation")
            {
                missing.Add($"{spec.Id}: workload identity federation (its GRANT_TYPE is '{environment.GetValueOrDefault("GRANT_TYPE")}': the certificate era of Psoxy before 0.5; upgrade the Terraform deployment to 0.6 first)");
                continue;
            }

            var application = applications.FirstOrDefault(a => TerraformState.ModuleKey(a.Address, "msft_connection") is { } k
                && ConnectorCatalog.DeprecatedAliases.GetValueOrDefault(k, k) == spec.Id);
            var objectId = application is null ? null : application.String("object_id") ?? ObjectIdOfResourceId(application.String("id"));
            if (application is null || objectId is null)
            {
                missing.Add($"{spec.Id}: its Entra application (module.worklytics_connectors_msft_365.module.msft_connection[\"{key ?? spec.Id}\"].azuread_application.connector with an object_id)");
                continue;
            }

            var connector = new MigratedConnector(spec, nameOf(function), function, environment, application, objectId.ToLowerInvariant(), application.String("display_name") ?? string.Empty);
            var connectorModule = key is null ? function.Module : function.Address[..(function.Address.IndexOf($"module.api_connector[\"{key}\"]", StringComparison.Ordinal) + $"module.api_connector[\"{key}\"]".Length)];
            foreach (var part in state.Resources.Where(r => r.IsManaged && (r.Module == connectorModule || r.Module.StartsWith(connectorModule + ".", StringComparison.Ordinal))))
            {
                var role = part.Type switch
                {
                    "aws_lambda_function_url" => "url",
                    "aws_cloudwatch_log_group" => "log-group",
                    "aws_iam_role" => "execution-role",
                    "google_cloud_run_service_iam_binding" => "invokers",
                    _ => null,
                };
                if (role is not null)
                {
                    connector.Parts[role] = part;
                }
            }

            if (result.Any(c => c.Spec.Id == spec.Id))
            {
                missing.Add($"{spec.Id}: deployed twice ({function.Address}); one function per connector");
                continue;
            }

            if (key is not null && key != spec.Id)
            {
                // The program names every resource of a connector by its id, and has no per-connector name override.
                risks.Add($"`{key}` is Psoxy's older id of `{spec.Id}`: it is migrated as `{spec.Id}`. Its Entra application is adopted (same client id and consent), "
                    + $"but this program names a connector's resources by its id, so its function ({connector.FunctionName}) and what belongs to it are not adopted under their Terraform names: "
                    + $"the stack creates `<environment>-{spec.Id}` instead, with a new URL to set in that Worklytics connection, and `terraform destroy` removes `{connector.FunctionName}` once it is switched.");
            }

            result.Add(connector);
        }

        if (skipped.Count > 0)
        {
            risks.Add($"Connectors other than Microsoft 365 stay with Terraform (this program deploys Microsoft 365 only): {string.Join(", ", skipped)}. `terraform destroy` would delete them; remove them from the Terraform configuration only when they are no longer needed.");
        }

        if (result.Count == 0 && missing.Count == 0)
        {
            throw new MigrationInputException($"this Psoxy deployment has no Microsoft 365 connector (found: {string.Join(", ", skipped)}); this program deploys Microsoft 365 connectors only.");
        }

        if (result.Count == 0)
        {
            Throw(missing, state);
        }

        var tenants = result.Select(c => RefreshEndpoint().Match(c.Environment.GetValueOrDefault("REFRESH_ENDPOINT") ?? string.Empty))
            .Select(m => m.Success ? m.Groups["tenant"].Value.ToLowerInvariant() : null).Distinct().ToList();
        if (tenants.Contains(null))
        {
            missing.Add("the tenant: a REFRESH_ENDPOINT https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token on every function");
        }
        else if (tenants.Count > 1)
        {
            missing.Add($"one tenant: the functions name several ({string.Join(", ", tenants)})");
        }

        return result;
    }

    private static void Throw(List<string> missing, TerraformState state)
    {
        if (missing.Count > 0)
        {
            throw new MigrationInputException("this Psoxy state is incomplete for a migration. Missing:" + Environment.NewLine
                + string.Join(Environment.NewLine, missing.Select(m => "  - " + m)) + Environment.NewLine + $"Found: {Summary(state)}.");
        }
    }

    /// <summary>What the state holds, by resource type, for messages.</summary>
    public static string Summary(TerraformState state)
    {
        var managed = state.Resources.Where(r => r.IsManaged).GroupBy(r => r.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}").ToList();
        return managed.Count == 0 ? "no managed resources" : string.Join(", ", managed.Take(25)) + (managed.Count > 25 ? ", ..." : string.Empty);
    }

    private static string EnvironmentIdOf(IReadOnlyList<MigratedConnector> connectors)
    {
        var c = connectors[0];
        var suffix = "-" + (TerraformState.ModuleKey(c.Function.Address, "api_connector") ?? c.Spec.Id);
        return c.FunctionName.EndsWith(suffix, StringComparison.Ordinal) ? c.FunctionName[..^suffix.Length] : string.Empty;
    }

    private static string TenantOf(IReadOnlyList<MigratedConnector> connectors) =>
        RefreshEndpoint().Match(connectors[0].Environment["REFRESH_ENDPOINT"]).Groups["tenant"].Value.ToLowerInvariant();

    private static IReadOnlyList<string> OwnersOf(IReadOnlyList<MigratedConnector> connectors) =>
        connectors.SelectMany(c => c.Application.Strings("owners")).Select(o => o.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static string CanonicalizationOf(IReadOnlyList<MigratedConnector> connectors, List<string> risks)
    {
        var values = connectors.Select(c => c.Environment.GetValueOrDefault("EMAIL_CANONICALIZATION", "STRICT")).Distinct(StringComparer.Ordinal).ToList();
        if (values.Count > 1)
        {
            risks.Add($"The functions canonicalize emails differently ({string.Join(", ", values)}); the stack uses {values[0]} for all, which changes the others' pseudonyms.");
        }

        return StackSettingsReader.EmailCanonicalizations.Contains(values[0]) ? values[0] : StackSettingsReader.DefaultEmailCanonicalization;
    }

    private static string VersionOf(IReadOnlyList<MigratedConnector> connectors, TerraformState state, List<string> risks)
    {
        var names = connectors.Select(c => c.Environment.GetValueOrDefault("BUNDLE_FILENAME") ?? c.Function.String("s3_key"))
            .Concat(state.Managed("aws_s3_object").Select(o => o.String("key")))
            .Concat(state.Managed("google_storage_bucket_object").Select(o => o.String("name")))
            .OfType<string>();
        var versions = names.Select(n => BundleVersion().Match(n)).Where(m => m.Success).Select(m => m.Groups["version"].Value).Distinct(StringComparer.Ordinal).ToList();
        if (versions.Count == 0)
        {
            throw new MigrationInputException("the Psoxy version is unknown: no BUNDLE_FILENAME (psoxy-aws-<version>.jar / psoxy-gcp-<version>.jar) on the functions and no bundle object in the state. "
                + $"Found: {Summary(state)}.");
        }

        var newest = versions.MaxBy(v => Version.TryParse(v.Split('-')[0], out var parsed) ? parsed : new Version(0, 0))!;
        // Psoxy 0.5.0 to 0.6.x share the module and resource addresses read here (examples-dev, aws-host/gcp-host's
        // api_connector, worklytics-connectors-msft-365's msft_connection) and workload identity federation.
        if (!newest.StartsWith("0.6.", StringComparison.Ordinal) && !newest.StartsWith("0.5.", StringComparison.Ordinal))
        {
            throw new MigrationInputException($"this is Psoxy {newest}; migrate reads the states of Psoxy {SupportedVersions} (module names and resources differ in other versions). Upgrade the Terraform deployment to the latest 0.6 release first (terraform apply), then migrate.");
        }

        if (newest.StartsWith("0.5.", StringComparison.Ordinal))
        {
            risks.Add($"This is Psoxy {newest}: the stack deploys the same bundle (on a Java runtime it supports). Once the migration is done, consider moving deploymentBundle to Psoxy 0.6 (its health check and rules are what this program's documentation describes).");
        }

        if (versions.Count > 1)
        {
            risks.Add($"The functions run different Psoxy versions ({string.Join(", ", versions)}); the stack deploys {newest} to all.");
        }

        return newest;
    }

    private static void ReadTrustPolicy(TerraformResource role, List<string> gcpCallers, List<string> awsCallers)
    {
        var text = role.String("assume_role_policy");
        if (text is null)
        {
            return;
        }

        try
        {
            using var policy = JsonDocument.Parse(text);
            if (!policy.RootElement.TryGetProperty("Statement", out var statements) || statements.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var statement in statements.EnumerateArray())
            {
                if (!statement.TryGetProperty("Principal", out var principal) || principal.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (principal.TryGetProperty("AWS", out var aws))
                {
                    awsCallers.AddRange(StringsOf(aws));
                }

                if (principal.TryGetProperty("Federated", out var federated) && StringsOf(federated).Contains("accounts.google.com")
                    && statement.TryGetProperty("Condition", out var condition) && condition.ValueKind == JsonValueKind.Object)
                {
                    foreach (var test in condition.EnumerateObject())
                    {
                        if (test.Value.ValueKind == JsonValueKind.Object && test.Value.TryGetProperty("accounts.google.com:aud", out var aud))
                        {
                            gcpCallers.AddRange(StringsOf(aud).Where(id => GcpUniqueId().IsMatch(id)));
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // An unreadable trust policy: no callers carried over (the hand-off says to set them).
        }

        static IEnumerable<string> StringsOf(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => [e.GetString()!],
            JsonValueKind.Array => e.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!),
            _ => [],
        };
    }

    private static string? Text(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyDictionary<string, string> LambdaEnvironment(TerraformResource function) =>
        TerraformResource.StringMap(TerraformResource.FirstBlock(function.Values, "environment"), "variables");

    private static IReadOnlyDictionary<string, string> CloudFunctionEnvironment(TerraformResource function) =>
        TerraformResource.StringMap(TerraformResource.FirstBlock(function.Values, "service_config"), "environment_variables");

    private static string? ObjectIdOfResourceId(string? id) =>
        id is null ? null : id.StartsWith("/applications/", StringComparison.Ordinal) ? id["/applications/".Length..] : StackSettingsReader.IsGuid(id) ? id : null;

    /// <summary>An SSM parameter name as AWS stores it: a name with '/' starts with '/'.</summary>
    public static string NormalizeParameterName(string name) => name.Contains('/', StringComparison.Ordinal) && !name.StartsWith('/') ? "/" + name : name;
}
