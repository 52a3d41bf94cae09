using System.Collections.Immutable;
using System.Text.Json;

namespace Psoxy.Infra.Configuration;

/// <summary>
/// The AWS provider's <c>aws:assumeRoleWithWebIdentity</c> (v7): STS <c>AssumeRoleWithWebIdentity</c> with an OIDC
/// token, which needs no other credentials. As in the provider (aws-sdk-go-base), its credentials are the base
/// credentials, and <c>aws:assumeRoles</c> are then assumed on top of them.
/// </summary>
/// <param name="RoleArn">The role to assume.</param>
internal sealed record AwsWebIdentity(string RoleArn)
{
    public const string Key = "aws:assumeRoleWithWebIdentity";

    private static readonly string[] Keys =
        ["roleArn", "sessionName", "webIdentityToken", "webIdentityTokenFile", "duration", "policy", "policyArns"];

    private const string Allowed = "allowed: a JSON object with roleArn and webIdentityToken or webIdentityTokenFile, e.g. {\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\", \"webIdentityTokenFile\": \"/var/run/secrets/token\"} (pulumi config set --path 'aws:assumeRoleWithWebIdentity.roleArn' <role ARN>)";

    public string? SessionName { get; init; }

    /// <summary>The OIDC token itself: a secret, never printed. Wins over <see cref="WebIdentityTokenFile"/>, as in the provider.</summary>
    public string? WebIdentityToken { get; init; }

    /// <summary>A file holding the token, read at each call (tokens there are rotated).</summary>
    public string? WebIdentityTokenFile { get; init; }

    /// <summary>Session duration; STS's default (1 h) when null.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Inline session policy (JSON).</summary>
    public string? Policy { get; init; }

    public ImmutableArray<string> PolicyArns { get; init; } = [];

    /// <summary>Reads the key's JSON value into <paramref name="problems"/>; null when absent or invalid. The token is never shown.</summary>
    internal static AwsWebIdentity? Read(string? json, List<ConfigProblem> problems)
    {
        if (json is null)
        {
            return null;
        }

        // The whole value is never shown: it may hold the token.
        using var document = ProviderJson.Parse(json, Key, Allowed, problems, shown: "[value not shown]");
        if (document is null)
        {
            return null;
        }

        var element = document.RootElement;
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(Key, "[value not shown]", Allowed));
            return null;
        }

        var before = problems.Count;
        ProviderJson.RejectUnknownFields(element, Key, Keys, problems);
        var roleArn = ProviderJson.String(element, Key, "roleArn", problems);
        if (roleArn is null || !AwsAssumeRole.IsRoleArn(roleArn))
        {
            problems.Add(new($"{Key}.roleArn", roleArn, AwsAssumeRole.RoleArnAllowed));
        }

        var sessionName = ProviderJson.String(element, Key, "sessionName", problems);
        if (sessionName is not null && !AwsAssumeRole.IsSessionName(sessionName))
        {
            problems.Add(new($"{Key}.sessionName", sessionName, AwsAssumeRole.SessionNameAllowed));
        }

        var token = ProviderJson.String(element, Key, "webIdentityToken", problems, secret: true);
        var tokenFile = ProviderJson.String(element, Key, "webIdentityTokenFile", problems);
        if (token is null && tokenFile is null)
        {
            problems.Add(new($"{Key}.webIdentityTokenFile", null, "set webIdentityTokenFile (the path of a file holding the OIDC token) or webIdentityToken (the token, as a secret: pulumi config set --secret --path 'aws:assumeRoleWithWebIdentity.webIdentityToken' <token>)"));
        }
        else if (token is null && !File.Exists(tokenFile))
        {
            problems.Add(new($"{Key}.webIdentityTokenFile", tokenFile, "no such file (a relative path is resolved against the directory pulumi runs in); allowed: the path of an existing file holding the OIDC token"));
        }

        var identity = new AwsWebIdentity(roleArn ?? string.Empty)
        {
            SessionName = sessionName,
            WebIdentityToken = token,
            WebIdentityTokenFile = tokenFile,
            Duration = AwsAssumeRole.ReadDuration(element, Key, problems),
            Policy = ProviderJson.String(element, Key, "policy", problems),
            PolicyArns = ProviderJson.Strings(element, Key, "policyArns", problems),
        };
        return problems.Count == before ? identity : null;
    }

    /// <summary>The token now: the configured one, else the file's current content.</summary>
    internal string ReadToken() => WebIdentityToken ?? File.ReadAllText(WebIdentityTokenFile!).Trim();

    // The compiler-generated record ToString would print the token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("RoleArn = ").Append(RoleArn);
        builder.Append(", WebIdentityToken = ").Append(WebIdentityToken is null ? "null" : "***");
        builder.Append(", WebIdentityTokenFile = ").Append(WebIdentityTokenFile ?? "null");
        return true;
    }
}
