using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pulumi;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>
/// One entry of the AWS provider's <c>aws:assumeRoles</c> (or the older single <c>aws:assumeRole</c>): a role
/// assumed with the credentials obtained so far.
/// </summary>
internal sealed partial record AwsAssumeRole(string RoleArn)
{
    /// <summary>STS's limits for <c>DurationSeconds</c> (a role's own maximum may be lower).</summary>
    internal static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(15);
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromHours(12);

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
    /// <exception cref="RunException">Not an array of valid role objects.</exception>
    internal static ImmutableArray<AwsAssumeRole> ParseList(string? json, string key)
    {
        if (json is null)
        {
            return [];
        }

        using var document = Parse(json, key, "a JSON array of objects with at least roleArn");
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(key, json, "a JSON array of objects with at least roleArn");
        }

        return [.. document.RootElement.EnumerateArray().Select((e, i) => FromJson(e, $"{key}[{i}]"))];
    }

    /// <summary>Parses one role object.</summary>
    /// <exception cref="RunException">Not a valid role object.</exception>
    internal static AwsAssumeRole ParseSingle(string json, string key)
    {
        using var document = Parse(json, key, "a JSON object with at least roleArn");
        return FromJson(document.RootElement, key);
    }

    /// <summary>Parses <c>"1h"</c>, <c>"15m"</c>, <c>"1h30m"</c>, <c>"900s"</c> or plain seconds (<c>900</c>).</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        // Go durations only, as the provider documents (a bare number of seconds is not one).
        text = text.Trim();
        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return null;
        }

        double Part(string name) => match.Groups[name].Success
            ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture)
            : 0;
        var total = (Part("h") * 3600) + (Part("m") * 60) + Part("s");
        return total <= MaxDuration.TotalSeconds ? TimeSpan.FromSeconds(Math.Round(total)) : null;
    }

    private static JsonDocument Parse(string json, string key, string allowed)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw Invalid(key, json, allowed);
        }
    }

    private static AwsAssumeRole FromJson(JsonElement element, string key)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(key, element.GetRawText(), "a JSON object with at least roleArn");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!Keys.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new RunException(
                    $"{key} has an unknown field '{property.Name}'; allowed: {string.Join(", ", Keys)}.");
            }
        }

        var roleArn = String(element, key, "roleArn");
        if (roleArn is null || !RoleArnPattern().IsMatch(roleArn))
        {
            throw Invalid($"{key}.roleArn", roleArn ?? "(missing)", "an IAM role ARN such as arn:aws:iam::123456789012:role/deployer");
        }

        var sessionName = String(element, key, "sessionName");
        if (sessionName is not null && !SessionNamePattern().IsMatch(sessionName))
        {
            throw Invalid($"{key}.sessionName", sessionName, "2 to 64 characters of letters, digits and =,.@-_");
        }

        TimeSpan? duration = null;
        if (element.TryGetProperty("duration", out var durationValue) && durationValue.ValueKind != JsonValueKind.Null)
        {
            var text = durationValue.ValueKind == JsonValueKind.String ? durationValue.GetString()! : null;
            duration = text is null ? null : ParseDuration(text);
            if (duration is null || duration < MinDuration || duration > MaxDuration)
            {
                throw Invalid($"{key}.duration", durationValue.GetRawText(), "a Go duration from 15m to 12h, as the AWS provider documents, e.g. \"1h\", \"15m\", \"1h30m\" (not bare seconds)");
            }
        }

        var tags = ImmutableDictionary<string, string>.Empty;
        if (element.TryGetProperty("tags", out var tagsValue) && tagsValue.ValueKind != JsonValueKind.Null)
        {
            if (tagsValue.ValueKind != JsonValueKind.Object || tagsValue.EnumerateObject().Any(t => t.Value.ValueKind != JsonValueKind.String))
            {
                throw Invalid($"{key}.tags", tagsValue.GetRawText(), "an object of string values");
            }

            tags = tagsValue.EnumerateObject().ToImmutableDictionary(t => t.Name, t => t.Value.GetString()!, StringComparer.Ordinal);
        }

        return new AwsAssumeRole(roleArn)
        {
            ExternalId = String(element, key, "externalId"),
            SessionName = sessionName,
            Duration = duration,
            Policy = String(element, key, "policy"),
            PolicyArns = Strings(element, key, "policyArns"),
            Tags = tags,
            TransitiveTagKeys = Strings(element, key, "transitiveTagKeys"),
            SourceIdentity = String(element, key, "sourceIdentity"),
        };
    }

    private static string? String(JsonElement element, string key, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"{key}.{name}", value.GetRawText(), "a string");
        }

        return string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString()!.Trim();
    }

    private static ImmutableArray<string> Strings(JsonElement element, string key, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw Invalid($"{key}.{name}", value.GetRawText(), "a list of strings");
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static RunException Invalid(string key, string value, string allowed)
    {
        var shown = value.Length > 200 ? value[..200] + "..." : value;
        return new RunException($"{key} is '{shown}'; expected {allowed}.");
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex DurationPattern();
}
