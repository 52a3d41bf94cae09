using System.Text.RegularExpressions;

namespace Psoxy.Infra.Configuration;

/// <summary>The validated <c>psoxy:gcp</c> object.</summary>
internal sealed record GcpHostSettings
{
    /// <summary>The project the proxy runs in; the program refuses to deploy when the GCP provider targets another.</summary>
    public required string ProjectId { get; init; }

    public required string Region { get; init; }
    public required DeploymentBundle DeploymentBundle { get; init; }

    /// <summary>Service accounts (emails) of the analytics service allowed to invoke the functions.</summary>
    public required IReadOnlyList<string> WorklyticsServiceAccountEmails { get; init; }

    /// <summary>Further invokers, as IAM members (<c>user:</c> or <c>serviceAccount:</c>).</summary>
    public required IReadOnlyList<string> TestPrincipals { get; init; }

    /// <summary>Where Secret Manager replicates the secrets.</summary>
    public required IReadOnlyList<string> SecretReplicaLocations { get; init; }

    public required string Runtime { get; init; }
    public required string Memory { get; init; }
    public required int TimeoutSeconds { get; init; }
    public required int MaxInstances { get; init; }

    /// <summary>Requests one instance serves at once (Cloud Run's max_instance_request_concurrency).</summary>
    public int InstanceConcurrency { get; init; } = GcpSizingLimits.DefaultInstanceConcurrency;

    /// <summary>CPUs of each instance, as Cloud Functions writes them ("1", "0.5").</summary>
    public string AvailableCpu { get; init; } = GcpSizingLimits.DefaultAvailableCpu;

    /// <summary>Every member allowed to invoke the functions, as IAM members, sorted so the order never diffs.</summary>
    public IReadOnlyList<string> InvokerMembers =>
        WorklyticsServiceAccountEmails.Select(e => "serviceAccount:" + e).Concat(TestPrincipals)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>Reads <c>psoxy:gcp</c>.</summary>
internal static partial class GcpHostSettingsReader
{
    public const string DefaultRegion = "us-central1";
    public const string DefaultRuntime = "java25";
    public const string DefaultMemory = "1024M";
    public const int DefaultTimeoutSeconds = 180;
    public const int DefaultMaxInstances = 20;

    public static readonly IReadOnlyList<string> DefaultSecretReplicaLocations = ["us-central1", "us-west1"];

    public const string Fields = "projectId (required), region, deploymentBundle (required), worklyticsServiceAccountEmails, testPrincipals, secretReplicaLocations, runtime, memory, timeoutSeconds, maxInstances, instanceConcurrency, availableCpu";

    // GCP project ids: 6-30 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen.
    [GeneratedRegex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$")]
    private static partial Regex ProjectIdPattern();

    [GeneratedRegex("^[a-z]+-[a-z]+[0-9]+$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]*@[a-z0-9][a-z0-9.-]*\.gserviceaccount\.com$")]
    private static partial Regex ServiceAccountEmailPattern();

    [GeneratedRegex(@"^[^@\s:]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[0-9]+(M|Mi|G|Gi)$")]
    private static partial Regex MemoryPattern();

    public static bool IsInvokerMember(string member) =>
        (member.StartsWith("user:", StringComparison.Ordinal) && EmailPattern().IsMatch(member["user:".Length..]))
        || (member.StartsWith("serviceAccount:", StringComparison.Ordinal) && ServiceAccountEmailPattern().IsMatch(member["serviceAccount:".Length..]));

    /// <summary>Reads <c>psoxy:gcp</c>, checking it against the GCP provider's own keys in <paramref name="providers"/>.</summary>
    public static GcpHostSettings? Read(IConfigSource source, ProviderConfig providers, List<ConfigProblem> problems, List<string> warnings)
    {
        var gcp = ConfigObject.Read(source, ConfigKeys.Gcp,
            "an object with the GCP deployment: " + Fields + ", e.g. { projectId: acme-psoxy, deploymentBundle: gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip }",
            problems);
        if (gcp is null)
        {
            return null;
        }

        var count = problems.Count;
        gcp.RejectUnknownFields("projectId", "region", "deploymentBundle", "worklyticsServiceAccountEmails", "testPrincipals",
            "secretReplicaLocations", "runtime", "memory", "timeoutSeconds", "maxInstances", "instanceConcurrency", "availableCpu");
        var projectId = gcp.String("projectId", required: true,
            "the id of the GCP project that hosts the proxy: 6-30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (e.g. acme-psoxy-prod)",
            ProjectIdPattern().IsMatch);
        if (projectId is not null && providers.GcpProject is { } providerProject && providerProject != projectId)
        {
            // The provider would create every resource in its own project, not the one the program names and checks.
            gcp.Problem("projectId", projectId,
                $"differs from {ProviderConfig.GcpProjectKey} = '{providerProject}', the project the GCP provider deploys to; set both to the project that should host the proxies");
        }
        var region = gcp.String("region", required: false,
            $"a GCP region such as us-central1 (default {DefaultRegion})", RegionPattern().IsMatch) ?? DefaultRegion;
        if (region != providers.GcpRegion)
        {
            // The same value in gcp:region is checked (and reported) once, as the provider's.
            Regions.ReportGcp(gcp.PathOf("region"), region, problems, warnings);
        }

        var bundleText = gcp.String("deploymentBundle", required: true,
            "a gs://bucket/object.zip URI of a released Psoxy GCP bundle, e.g. gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip, or the path of an existing local .zip file (relative to the project directory) to upload");
        var bundle = bundleText is null ? null : DeploymentBundle.Parse(bundleText, "gs", [".zip"]);
        if (bundleText is not null && bundle is null)
        {
            gcp.Problem("deploymentBundle", bundleText,
                "neither a gs://bucket/object.zip URI nor an existing local .zip file (relative paths are resolved against the project directory, where Pulumi.yaml is)");
        }

        var worklytics = gcp.StringList("worklyticsServiceAccountEmails",
            "the email of a GCP service account, e.g. acme-tenant@worklytics-prod.iam.gserviceaccount.com (Worklytics > Configuration)",
            ServiceAccountEmailPattern().IsMatch);
        var testers = gcp.StringList("testPrincipals",
            "an IAM member 'user:<email>' or 'serviceAccount:<email>' (never allUsers or allAuthenticatedUsers)",
            IsInvokerMember);
        var replicas = gcp.StringList("secretReplicaLocations", "a GCP region such as us-west1", RegionPattern().IsMatch);
        foreach (var replica in replicas)
        {
            Regions.ReportGcp(gcp.PathOf("secretReplicaLocations"), replica, problems, warnings, "a GCP region");
        }

        var runtimes = BundleVersion.RuntimesFor(bundle?.FileName);
        var runtime = gcp.String("runtime", required: false,
            $"a Cloud Functions Java runtime the Psoxy bundle runs on: {string.Join(", ", runtimes)} (default {DefaultRuntime}); {BundleVersion.Requirement(bundle?.FileName)}",
            runtimes.Contains) ?? DefaultRuntime;
        var memory = gcp.String("memory", required: false,
            $"a Cloud Functions (2nd gen) memory size from {ServiceLimits.CloudFunctionMemoryRange}, such as 512M, 1024M or 2Gi (default {DefaultMemory})",
            m => MemoryPattern().IsMatch(m) && ServiceLimits.IsCloudFunctionMemory(m)) ?? DefaultMemory;
        var timeout = gcp.Integer("timeoutSeconds", DefaultTimeoutSeconds, ServiceLimits.CloudFunctionTimeoutSeconds.Min, ServiceLimits.CloudFunctionTimeoutSeconds.Max, "seconds");
        var maxInstances = gcp.Integer("maxInstances", DefaultMaxInstances, ServiceLimits.CloudFunctionMaxInstances.Min, ServiceLimits.CloudFunctionMaxInstances.Max);
        var concurrency = gcp.Integer("instanceConcurrency", GcpSizingLimits.DefaultInstanceConcurrency, ServiceLimits.CloudFunctionConcurrency.Min, ServiceLimits.CloudFunctionConcurrency.Max);
        var cpu = gcp.String("availableCpu", required: false, GcpSizingLimits.CpuAllowed, GcpSizingLimits.IsCpu) ?? GcpSizingLimits.DefaultAvailableCpu;
        if (GcpSizingLimits.IsCpu(cpu) && concurrency > 1 && !GcpSizingLimits.AllowsConcurrency(cpu))
        {
            gcp.Problem("availableCpu", cpu, $"Cloud Run serves more than one request at a time (instanceConcurrency = {concurrency}) only with at least 1 CPU; allowed: availableCpu 1 or more, or instanceConcurrency 1");
        }

        if (problems.Count > count || projectId is null || bundle is null)
        {
            return null;
        }

        return new GcpHostSettings
        {
            ProjectId = projectId,
            Region = region,
            DeploymentBundle = bundle,
            WorklyticsServiceAccountEmails = worklytics,
            TestPrincipals = testers,
            SecretReplicaLocations = replicas.Count > 0 ? replicas : DefaultSecretReplicaLocations,
            Runtime = runtime,
            Memory = memory,
            TimeoutSeconds = timeout,
            MaxInstances = maxInstances,
            InstanceConcurrency = concurrency,
            AvailableCpu = cpu,
        };
    }
}

/// <summary>
/// Cloud Run's sizing limits for a Cloud Functions gen2 instance, and Psoxy's defaults (gcp-host
/// api_connector_instance_concurrency = 5; gcp-proxy-api available_cpu = "1"). Kept together to be consolidated with
/// other GCP limits.
/// </summary>
internal static class GcpSizingLimits
{
    public const int DefaultInstanceConcurrency = 5;
    public const string DefaultAvailableCpu = "1";

    // The limits themselves are the services' data, in ServiceLimits (with their sources).
    public static int MaxInstanceConcurrency => ServiceLimits.CloudFunctionConcurrency.Max;

    /// <summary>Whole CPU counts Cloud Run offers; below 1, fractions down to <see cref="MinFractionalCpu"/>.</summary>
    public static readonly IReadOnlyList<string> WholeCpus =
        ServiceLimits.CloudFunctionCpu.Whole.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public static decimal MinFractionalCpu => ServiceLimits.CloudFunctionCpu.MinFraction;

    public static string CpuAllowed { get; } =
        $"a CPU count Cloud Run offers: {string.Join(", ", WholeCpus)}, or a fraction from {MinFractionalCpu.ToString(System.Globalization.CultureInfo.InvariantCulture)} to below 1 such as 0.5 (default {DefaultAvailableCpu}), as text";

    public static bool IsCpu(string value) =>
        WholeCpus.Contains(value)
        || (decimal.TryParse(value, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var cpu)
            && value.StartsWith("0.", StringComparison.Ordinal) && cpu >= MinFractionalCpu && cpu < 1);

    /// <summary>Cloud Run allows concurrency above 1 only with at least one whole CPU.</summary>
    public static bool AllowsConcurrency(string cpu) => WholeCpus.Contains(cpu);
}
