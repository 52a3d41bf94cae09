namespace Psoxy.Infra.Hosts.Aws;

/// <summary>
/// How the program reaches AWS for the calls it makes itself (outside the Pulumi AWS provider).
/// Credentials are resolved in this order: <see cref="AccessKey"/>/<see cref="SecretKey"/>
/// (with optional <see cref="SessionToken"/>) when given; else the named <see cref="Profile"/> from the
/// shared AWS config/credentials files; else the AWS SDK's default credential chain.
/// </summary>
/// <param name="Region">AWS region of the Cognito identity pool, e.g. <c>us-east-1</c>.</param>
internal sealed record AwsConnectionSettings(string Region)
{
    /// <summary>Static access key id; must come with <see cref="SecretKey"/>.</summary>
    public string? AccessKey { get; init; }

    /// <summary>Static secret access key; must come with <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Session token for temporary static credentials.</summary>
    public string? SessionToken { get; init; }

    /// <summary>Named profile in the shared AWS config/credentials files.</summary>
    public string? Profile { get; init; }

    /// <summary>
    /// Explicit service endpoint. When null: <c>AWS_ENDPOINT_URL_COGNITO_IDENTITY</c>, then
    /// <c>AWS_ENDPOINT_URL</c>, then the region's public endpoint.
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>True when static credentials are configured (either half counts, so a missing half is reported).</summary>
    public bool HasStaticCredentials =>
        !string.IsNullOrEmpty(AccessKey) || !string.IsNullOrEmpty(SecretKey);

    // The compiler-generated record ToString would print the secret key and session token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Region = ").Append(Region);
        builder.Append(", AccessKey = ").Append(AccessKey is null ? "null" : "***");
        builder.Append(", SecretKey = ").Append(SecretKey is null ? "null" : "***");
        builder.Append(", SessionToken = ").Append(SessionToken is null ? "null" : "***");
        builder.Append(", Profile = ").Append(Profile ?? "null");
        builder.Append(", Endpoint = ").Append(Endpoint?.ToString() ?? "null");
        return true;
    }
}
