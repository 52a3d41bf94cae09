using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pulumi;

namespace Psoxy.Infra.Configuration;

/// <summary>
/// One entry of the AWS provider's <c>aws:assumeRoles</c>: a role assumed with the credentials obtained so far.
/// </summary>
internal sealed partial record AwsAssumeRole(string RoleArn)
{
    /// <summary>STS's limits for <c>DurationSeconds</c> (a role's own maximum may be lower).</summary>
    internal static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(15);
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromHours(12);

    internal const string RoleArnAllowed = "allowed: an IAM role ARN such as arn:aws:iam::123456789012:role/deployer";
    internal const string SessionNameAllowed = "allowed: 2 to 64 characters of letters, digits and =,.@-_";
    internal const string DurationAllowed = "allowed: a Go duration from 15m to 12h, as the AWS provider documents (units ns, us, ms, s, m, h), e.g. \"1h\", \"15m\", \"1h30m\" (not bare seconds)";

    private static readonly string[] Keys =
        ["roleArn", "externalId", "sessionName", "duration", "policy", "policyArns", "tags", "transitiveTagKeys", "sourceIdentity"];

    public string? ExternalId { get; init; }

    public string? SessionName { get; init; }

    /// <summary>Session duration; STS's default (1 h) when null.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Inline session policy (JSON).</summary>
    public string? Policy { get; init; }

    public ImmutableArray<string> PolicyArns { get; init; } = [];

    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableArray<string> TransitiveTagKeys { get; init; } = [];

    public string? SourceIdentity { get; init; }

    /// <summary>Parses a JSON array of role objects; an absent value is an empty list.</summary>
    /// <exception cref="RunException">Not an array of valid role objects (every problem in one message).</exception>
    internal static ImmutableArray<AwsAssumeRole> ParseList(string? json, string key)
    {
        var problems = new List<ConfigProblem>();
        var roles = ReadList(json, key, problems);
        return problems.Count == 0 ? roles : throw new RunException(InvalidConfigurationException.Describe(problems));
    }

    /// <summary>Parses a JSON array of role objects into <paramref name="problems"/>; an absent value is an empty list.</summary>
    internal static ImmutableArray<AwsAssumeRole> ReadList(string? json, string key, List<ConfigProblem> problems)
    {
        if (json is null)
        {
            return [];
        }

        const string Allowed = "allowed: a JSON array of objects with at least roleArn, e.g. [{\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\"}] (pulumi config set --path 'aws:assumeRoles[0].roleArn' <role ARN>)";
        using var document = ProviderJson.Parse(json, key, Allowed, problems);
        if (document is null)
        {
            return [];
        }

        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new(key, json, Allowed));
            return [];
        }

        var roles = ImmutableArray.CreateBuilder<AwsAssumeRole>();
        foreach (var (element, i) in document.RootElement.EnumerateArray().Select((e, i) => (e, i)))
        {
            if (FromJson(element, $"{key}[{i}]", problems) is { } role)
            {
                roles.Add(role);
            }
        }

        return roles.ToImmutable();
    }

    /// <summary>
    /// Parses a Go duration (Go's time.ParseDuration, as the provider documents: "valid time units are ns, us (or
    /// µs), ms, s, h, or m"), e.g. <c>"1h"</c>, <c>"15m"</c>, <c>"1h30m"</c>, <c>"1.5h"</c>, <c>"900s"</c>; null for
    /// anything else, bare seconds (<c>900</c>) included.
    /// </summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var seconds = 0.0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = UnitPattern().Match(part.Value);
            var value = double.Parse(unit.Groups["value"].Value, CultureInfo.InvariantCulture);
            seconds += value * unit.Groups["unit"].Value switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                "ms" => 1e-3,
                "us" or "µs" or "μs" => 1e-6,
                _ => 1e-9,
            };
        }

        if (text.StartsWith('-'))
        {
            return null;
        }

        return seconds <= MaxDuration.TotalSeconds ? TimeSpan.FromSeconds(Math.Round(seconds)) : null;
    }

    /// <summary>A duration field of a provider object (<c>duration</c>), from 15m to 12h; problems reported.</summary>
    internal static TimeSpan? ReadDuration(JsonElement element, string key, List<ConfigProblem> problems)
    {
        if (!element.TryGetProperty("duration", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var duration = value.ValueKind == JsonValueKind.String ? ParseDuration(value.GetString()!) : null;
        if (duration is null || duration < MinDuration || duration > MaxDuration)
        {
            problems.Add(new($"{key}.duration", value.GetRawText(), DurationAllowed));
            return null;
        }

        return duration;
    }

    internal static bool IsRoleArn(string value) => RoleArnPattern().IsMatch(value);

    internal static bool IsSessionName(string value) => SessionNamePattern().IsMatch(value);

    private static AwsAssumeRole? FromJson(JsonElement element, string key, List<ConfigProblem> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(key, element.GetRawText(), "allowed: a JSON object with at least roleArn, e.g. {\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\"}"));
            return null;
        }

        var before = problems.Count;
        ProviderJson.RejectUnknownFields(element, key, Keys, problems);
        var roleArn = ProviderJson.String(element, key, "roleArn", problems);
        if (roleArn is null || !IsRoleArn(roleArn))
        {
            problems.Add(new($"{key}.roleArn", roleArn, RoleArnAllowed));
        }

        var sessionName = ProviderJson.String(element, key, "sessionName", problems);
        if (sessionName is not null && !IsSessionName(sessionName))
        {
            problems.Add(new($"{key}.sessionName", sessionName, SessionNameAllowed));
        }

        var duration = ReadDuration(element, key, problems);

        var tags = ImmutableDictionary<string, string>.Empty;
        if (element.TryGetProperty("tags", out var tagsValue) && tagsValue.ValueKind != JsonValueKind.Null)
        {
            if (tagsValue.ValueKind != JsonValueKind.Object || tagsValue.EnumerateObject().Any(t => t.Value.ValueKind != JsonValueKind.String))
            {
                problems.Add(new($"{key}.tags", tagsValue.GetRawText(), "allowed: an object of string values, e.g. {\"team\": \"psoxy\"}"));
            }
            else
            {
                tags = tagsValue.EnumerateObject().ToImmutableDictionary(t => t.Name, t => t.Value.GetString()!, StringComparer.Ordinal);
            }
        }

        var role = new AwsAssumeRole(roleArn ?? string.Empty)
        {
            ExternalId = ProviderJson.String(element, key, "externalId", problems),
            SessionName = sessionName,
            Duration = duration,
            Policy = ProviderJson.String(element, key, "policy", problems),
            PolicyArns = ProviderJson.Strings(element, key, "policyArns", problems),
            Tags = tags,
            TransitiveTagKeys = ProviderJson.Strings(element, key, "transitiveTagKeys", problems),
            SourceIdentity = ProviderJson.String(element, key, "sourceIdentity", problems),
        };
        return problems.Count == before ? role : null;
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();

    // Go's grammar: an optional sign, then one or more decimal numbers each with a unit ("0" alone is zero, below 15m anyway).
    [GeneratedRegex(@"^[+-]?(?<part>(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?<value>\d+\.?\d*|\.\d+)(?<unit>ns|us|µs|μs|ms|s|m|h)$")]
    private static partial Regex UnitPattern();
}

/// <summary>The fields of the AWS provider's JSON-valued keys (<c>aws:assumeRoles</c>...), every problem reported.</summary>
internal static class ProviderJson
{
    /// <summary>Parses <paramref name="json"/>; null (and a problem) when it is not JSON. <paramref name="shown"/> replaces a value that may hold a secret.</summary>
    public static JsonDocument? Parse(string json, string key, string allowed, List<ConfigProblem> problems, string? shown = null)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            problems.Add(new(key, shown ?? json, allowed));
            return null;
        }
    }

    public static void RejectUnknownFields(JsonElement element, string key, IReadOnlyList<string> allowed, List<ConfigProblem> problems)
    {
        foreach (var property in element.EnumerateObject().Where(p => !allowed.Contains(p.Name, StringComparer.Ordinal)))
        {
            var hint = Spelling.Closest(property.Name, allowed) is { } near ? $" (did you mean '{near}'?)" : string.Empty;
            problems.Add(new($"{key}.{property.Name}", "[value not shown]", $"not a field of {key}{hint}; allowed fields: {string.Join(", ", allowed)}"));
        }
    }

    public static string? String(JsonElement element, string key, string name, List<ConfigProblem> problems, bool secret = false)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(new($"{key}.{name}", secret ? "[value not shown]" : value.GetRawText(), "allowed: a string"));
            return null;
        }

        return string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString()!.Trim();
    }

    public static ImmutableArray<string> Strings(JsonElement element, string key, string name, List<ConfigProblem> problems)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            problems.Add(new($"{key}.{name}", value.GetRawText(), "allowed: a list of strings"));
            return [];
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }
}
