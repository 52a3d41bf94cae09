using System.Text.RegularExpressions;

namespace Psoxy.Infra.Configuration;

/// <summary>The validated <c>psoxy:aws</c> object.</summary>
internal sealed record AwsHostSettings
{
    /// <summary>The 12-digit account the proxy runs in; the program refuses to deploy with credentials of another.</summary>
    public required string AccountId { get; init; }

    /// <summary>The region; null to use the AWS provider's.</summary>
    public string? Region { get; init; }

    public required DeploymentBundle DeploymentBundle { get; init; }

    /// <summary>Unique ids (21 digits) of the analytics service's GCP service accounts that may assume the caller role.</summary>
    public required IReadOnlyList<string> CallerGcpServiceAccountIds { get; init; }

    /// <summary>AWS principals (ARNs) that may assume the caller role, e.g. testers.</summary>
    public required IReadOnlyList<string> CallerAwsArns { get; init; }

    /// <summary>
    /// Prefix of every SSM parameter of this environment: shared ones directly below it, each instance's below
    /// <c>&lt;prefix&gt;&lt;CONNECTOR&gt;_</c>. Either a path (<c>/psoxy/dev/</c>), a flat prefix (<c>PSOXY_DEV_</c>), or
    /// empty: shared parameters at the root (<c>PSOXY_SALT</c>), as Psoxy's Terraform names them by default.
    /// </summary>
    public required string SsmParameterPrefix { get; init; }

    public required int LogRetentionDays { get; init; }

    /// <summary>A customer-managed KMS key for function environments, logs and parameters; null for AWS-managed keys.</summary>
    public string? KmsKeyArn { get; init; }

    /// <summary>An IAM managed policy set as the permissions boundary of every role the program creates; null for none.</summary>
    public string? PermissionsBoundaryArn { get; init; }

    public required string Runtime { get; init; }
    public required int MemorySize { get; init; }
    public required int TimeoutSeconds { get; init; }
}

/// <summary>Reads <c>psoxy:aws</c>.</summary>
internal static partial class AwsHostSettingsReader
{
    public const string DefaultRuntime = "java25";
    public const int DefaultLogRetentionDays = 7;
    public const int DefaultMemorySize = 512;
    public const int DefaultTimeoutSeconds = 180;

    /// <summary>The retention periods CloudWatch Logs accepts.</summary>
    public static IReadOnlyList<int> LogRetentionPeriods => ServiceLimits.CloudWatchLogRetentionDays;

    public const string Fields = "accountId (required), region, deploymentBundle (required), callerGcpServiceAccountIds, callerAwsArns, ssmParameterPrefix, logRetentionDays, kmsKeyArn, permissionsBoundaryArn, runtime, memorySize, timeoutSeconds";

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^[0-9]{21}$")]
    private static partial Regex GcpUniqueIdPattern();

    // An IAM principal: the account root, a user or a role (paths allowed), in any partition.
    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(root|(user|role)/([\w+=,.@-]+/)*[\w+=,.@-]+)$")]
    private static partial Regex PrincipalArnPattern();

    // A hierarchy (/a/b/), a flat prefix (A_B_) of SSM parameter name characters, or nothing (the root).
    [GeneratedRegex(@"^(/([A-Za-z0-9_.-]+/)+|[A-Za-z0-9_.-]+)?$")]
    private static partial Regex SsmPrefixPattern();

    // An IAM managed policy: customer managed (12-digit account) or AWS managed ('aws'), paths allowed.
    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::([0-9]{12}|aws):policy/([\w+=,.@-]+/)*[\w+=,.@-]+$")]
    private static partial Regex ManagedPolicyArnPattern();

    // Psoxy's released bundles, one public bucket per region (psoxy-hosts.md §1.3).
    [GeneratedRegex("^psoxy-public-artifacts-(?<region>[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9])$")]
    private static partial Regex PublicBundleBucketPattern();

    [GeneratedRegex("^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")]
    private static partial Regex KmsKeyArnPattern();

    /// <summary>The default SSM prefix: one hierarchy per environment, so environments sharing an account never share a parameter.</summary>
    public static string DefaultSsmParameterPrefix(string environment) => $"/psoxy/{environment}/";

    /// <summary>Reads <c>psoxy:aws</c>, checking it against the AWS provider's own keys in <paramref name="providers"/>.</summary>
    public static AwsHostSettings? Read(IConfigSource source, string? environment, ProviderConfig providers, List<ConfigProblem> problems, List<string> warnings)
    {
        var aws = ConfigObject.Read(source, ConfigKeys.Aws,
            "an object with the AWS deployment: " + Fields + ", e.g. { accountId: '123456789012', deploymentBundle: s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar }",
            problems);
        if (aws is null)
        {
            return null;
        }

        var count = problems.Count;
        aws.RejectUnknownFields("accountId", "region", "deploymentBundle", "callerGcpServiceAccountIds", "callerAwsArns",
            "ssmParameterPrefix", "logRetentionDays", "kmsKeyArn", "permissionsBoundaryArn", "runtime", "memorySize", "timeoutSeconds");
        var accountId = aws.String("accountId", required: true,
            "the 12-digit id of the AWS account that hosts the proxy, as a string (e.g. '123456789012')", AccountIdPattern().IsMatch);
        var region = aws.String("region", required: false,
            "an AWS region such as us-east-1 (default: the AWS provider's region, aws:region)");
        // The same value in aws:region is checked (and reported) once, as the provider's.
        if (region is not null && region != providers.AwsRegion && !Regions.ReportAws(aws.PathOf("region"), region, problems, warnings))
        {
            region = null;
        }

        if (region is not null && providers.AwsRegion is { } providerRegion && providerRegion != region)
        {
            // The provider creates every resource in its region, while names, ARNs and the bundle check use this one.
            aws.Problem("region", region,
                $"differs from {ProviderConfig.AwsRegionKey} = '{providerRegion}', the region the AWS provider deploys to; set both to the same region (or remove {ConfigKeys.Full(aws.PathOf("region"))} to use {ProviderConfig.AwsRegionKey})");
        }
        var bundleText = aws.String("deploymentBundle", required: true,
            "an s3://bucket/key URI of a released Psoxy AWS bundle (.jar or .zip), e.g. s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar, or the path of an existing local .jar/.zip file (relative to the project directory) to upload");
        var bundle = bundleText is null ? null : DeploymentBundle.Parse(bundleText, "s3", [".jar", ".zip"]);
        if (bundleText is not null && bundle is null)
        {
            aws.Problem("deploymentBundle", bundleText,
                "neither an s3://bucket/key URI of a .jar or .zip nor an existing local .jar/.zip file (relative paths are resolved against the project directory, where Pulumi.yaml is)");
        }

        if (bundle is not null && (region ?? providers.AwsRegion) is { } deployRegion && BundleRegionProblem(bundle, deployRegion) is { } wrongRegion)
        {
            aws.Problem("deploymentBundle", bundleText, wrongRegion);
        }
        else if (region is null && providers.AwsRegion is null && bundle?.Bucket is { } bucket && PublicBundleBucketPattern().Match(bucket) is { Success: true } publicBucket)
        {
            // No region is set to compare with: the public bucket's region is checked as any region is.
            Regions.ReportAws(aws.PathOf("deploymentBundle"), publicBucket.Groups["region"].Value, problems, warnings, bundleText);
        }

        var gcpIds = aws.StringList("callerGcpServiceAccountIds",
            "the 21-digit unique id of a GCP service account of the analytics service (Worklytics > Configuration > Service Account Unique ID)",
            GcpUniqueIdPattern().IsMatch);
        var awsArns = aws.StringList("callerAwsArns",
            "an IAM principal ARN: arn:aws:iam::<account>:root, arn:aws:iam::<account>:user/<name> or arn:aws:iam::<account>:role/<name>",
            PrincipalArnPattern().IsMatch);
        var prefix = aws.String("ssmParameterPrefix", required: false,
            "an SSM parameter prefix: a path such as /psoxy/dev/ (starting and ending with '/'), a flat prefix such as PSOXY_DEV_ (letters, digits, '_', '.', '-'; not starting with 'aws' or 'ssm'), or '' for none (PSOXY_SALT at the root, as Psoxy's Terraform)",
            p => SsmPrefixPattern().IsMatch(p) && !ReservedSsmPrefix(p));
        // One message for every bad value (a range would suggest, say, 10 days works), showing the value as written.
        var retention = aws.IntegerOneOf("logRetentionDays", DefaultLogRetentionDays, LogRetentionPeriods,
            "a retention CloudWatch Logs supports, in days");

        var kmsKeyArn = aws.String("kmsKeyArn", required: false,
            "the ARN of a KMS key, arn:aws:kms:<region>:<account>:key/<key id>", KmsKeyArnPattern().IsMatch);
        var boundary = aws.String("permissionsBoundaryArn", required: false,
            "the ARN of an IAM managed policy to set as the permissions boundary of every role this program creates: arn:<partition>:iam::<12-digit account or 'aws'>:policy/<path/name>, e.g. arn:aws:iam::123456789012:policy/PsoxyBoundary",
            ManagedPolicyArnPattern().IsMatch);
        var runtimes = BundleVersion.RuntimesFor(bundle?.FileName);
        var runtime = aws.String("runtime", required: false,
            $"a Lambda Java runtime the Psoxy bundle runs on: {string.Join(", ", runtimes)} (default {DefaultRuntime}); {BundleVersion.Requirement(bundle?.FileName)}",
            runtimes.Contains) ?? DefaultRuntime;
        var memory = aws.Integer("memorySize", DefaultMemorySize, ServiceLimits.LambdaMemoryMb.Min, ServiceLimits.LambdaMemoryMb.Max, "MB");
        var timeout = aws.Integer("timeoutSeconds", DefaultTimeoutSeconds, ServiceLimits.LambdaTimeoutSeconds.Min, ServiceLimits.LambdaTimeoutSeconds.Max, "seconds");

        if (problems.Count > count || accountId is null || bundle is null)
        {
            return null;
        }

        return new AwsHostSettings
        {
            AccountId = accountId,
            Region = region,
            DeploymentBundle = bundle,
            CallerGcpServiceAccountIds = gcpIds,
            CallerAwsArns = awsArns,
            SsmParameterPrefix = prefix ?? DefaultSsmParameterPrefix(environment ?? "psoxy"),
            LogRetentionDays = retention,
            KmsKeyArn = kmsKeyArn,
            PermissionsBoundaryArn = boundary,
            Runtime = runtime,
            MemorySize = memory,
            TimeoutSeconds = timeout,
        };
    }

    /// <summary>
    /// Why <paramref name="bundle"/> cannot be deployed in <paramref name="region"/>: it is in Psoxy's public bucket of
    /// another region, and Lambda loads code only from a bucket in its own region. Null when it can.
    /// </summary>
    public static string? BundleRegionProblem(DeploymentBundle bundle, string region)
    {
        if (bundle.Bucket is null || PublicBundleBucketPattern().Match(bundle.Bucket) is not { Success: true } match)
        {
            return null;
        }

        var bucketRegion = match.Groups["region"].Value;
        return bucketRegion == region
            ? null
            : $"Psoxy's public bucket of {bucketRegion}, but the proxies run in {region} and Lambda loads code only from a bucket in its own region; allowed: the same bundle in {region}'s bucket, s3://psoxy-public-artifacts-{region}/{bundle.ObjectKey}, or a bucket of your own in {region}, or a local file";
    }

    // AWS reserves parameter names beginning with "aws" or "ssm", at the root or below "/".
    private static bool ReservedSsmPrefix(string prefix)
    {
        var name = prefix.TrimStart('/');
        return name.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ssm", StringComparison.OrdinalIgnoreCase);
    }
}
