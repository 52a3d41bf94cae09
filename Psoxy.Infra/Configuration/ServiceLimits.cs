using System.Globalization;

namespace Psoxy.Infra.Configuration;

/// <summary>An inclusive range of whole numbers a service accepts for a setting.</summary>
internal sealed record IntRange(int Min, int Max)
{
    public bool Contains(int value) => value >= Min && value <= Max;
}

/// <summary>
/// The sizes and limits AWS and GCP accept for what the program deploys, each with the documentation it comes from,
/// so a value the service would refuse at `pulumi up` (after other resources exist) is refused by the plan instead.
/// The settings readers take their ranges from here; README's configuration reference gives the same numbers.
/// </summary>
internal static class ServiceLimits
{
    /// <summary>Lambda memory in MB: https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html (128 to 10,240 MB).</summary>
    public static IntRange LambdaMemoryMb { get; } = new(128, 10240);

    /// <summary>Lambda timeout in seconds: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (900 seconds, 15 minutes).</summary>
    public static IntRange LambdaTimeoutSeconds { get; } = new(1, 900);

    /// <summary>
    /// The retention periods CloudWatch Logs accepts, in days:
    /// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html (retentionInDays).
    /// </summary>
    public static IReadOnlyList<int> CloudWatchLogRetentionDays { get; } =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>
    /// Cloud Functions (2nd gen) memory, in bytes: 128 MB to 32 GiB,
    /// https://cloud.google.com/functions/docs/configuring/memory and https://cloud.google.com/run/docs/configuring/services/memory-limits.
    /// </summary>
    public static (long Min, long Max) CloudFunctionMemoryBytes { get; } = (128L * 1000 * 1000, 32L * 1024 * 1024 * 1024);

    /// <summary>The memory range as users write it.</summary>
    public const string CloudFunctionMemoryRange = "128M to 32Gi";

    /// <summary>HTTP functions of Cloud Functions (2nd gen) time out after at most 60 minutes: https://cloud.google.com/functions/docs/configuring/timeout.</summary>
    public static IntRange CloudFunctionTimeoutSeconds { get; } = new(1, 3600);

    /// <summary>Maximum instances of one function (2nd gen): https://cloud.google.com/functions/docs/configuring/max-instances (up to 1,000; quota permitting).</summary>
    public static IntRange CloudFunctionMaxInstances { get; } = new(1, 1000);

    /// <summary>Concurrent requests per instance (2nd gen): https://cloud.google.com/functions/docs/configuring/concurrency (1 to 1,000; above 1 needs at least 1 CPU).</summary>
    public static IntRange CloudFunctionConcurrency { get; } = new(1, 1000);

    /// <summary>
    /// CPUs per instance (2nd gen): fractions from 0.08 below 1, then 1, 2, 4, 6 or 8:
    /// https://cloud.google.com/run/docs/configuring/services/cpu (Cloud Functions 2nd gen runs on Cloud Run).
    /// </summary>
    public static (decimal MinFraction, IReadOnlyList<int> Whole) CloudFunctionCpu { get; } = (0.08m, [1, 2, 4, 6, 8]);

    /// <summary>
    /// The largest value of a standard and of an advanced SSM parameter, in bytes (4 KB and 8 KB):
    /// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html.
    /// Psoxy's aws-ssm-rules module uses the same numbers for the custom rules' parameter.
    /// </summary>
    public const int SsmStandardParameterBytes = 4096;

    /// <inheritdoc cref="SsmStandardParameterBytes"/>
    public const int SsmAdvancedParameterBytes = 8192;

    public const string SsmParameterSource = "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html";

    /// <summary>
    /// All of a function's environment variables, names and values, in bytes (32 KiB):
    /// https://cloud.google.com/run/docs/configuring/services/overview-environment-variables (functions' size limits).
    /// </summary>
    public const int CloudFunctionEnvironmentBytes = 32 * 1024;

    public const string CloudFunctionEnvironmentSource = "https://cloud.google.com/run/docs/configuring/services/overview-environment-variables";

    /// <summary>The settings that are numbers (sizes, counts, durations), by their last field name.</summary>
    public static IReadOnlyList<string> NumericSettings { get; } =
        ["memorySize", "timeoutSeconds", "logRetentionDays", "maxInstances", "instanceConcurrency", "availableCpu", ConfigKeys.CertificateValidityDays];

    /// <summary>
    /// Whether the setting at <paramref name="path"/> (<c>psoxy:aws.memorySize</c>) is a number: a long one there is
    /// out of range (and said so by its range check), not an id YAML would mangle.
    /// </summary>
    public static bool IsNumericSetting(string path) =>
        NumericSettings.Contains(path[(path.LastIndexOfAny([':', '.']) + 1)..], StringComparer.Ordinal);

    /// <summary>
    /// The bytes of a memory size as Cloud Functions writes it (<c>512M</c>, <c>2Gi</c>: decimal M/G, binary Mi/Gi);
    /// null when it is not one (or too large to count).
    /// </summary>
    public static long? MemoryBytes(string value)
    {
        var (digits, unit) = value.EndsWith("Mi", StringComparison.Ordinal) ? (value[..^2], 1024L * 1024)
            : value.EndsWith("Gi", StringComparison.Ordinal) ? (value[..^2], 1024L * 1024 * 1024)
            : value.EndsWith('M') ? (value[..^1], 1000L * 1000)
            : value.EndsWith('G') ? (value[..^1], 1000L * 1000 * 1000)
            : (string.Empty, 0);
        return unit > 0 && digits.Length is > 0 and <= 9 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count * unit
            : null;
    }

    /// <summary>Whether <paramref name="value"/> is a memory size Cloud Functions (2nd gen) accepts.</summary>
    public static bool IsCloudFunctionMemory(string value) =>
        MemoryBytes(value) is { } bytes && bytes >= CloudFunctionMemoryBytes.Min && bytes <= CloudFunctionMemoryBytes.Max;
}
