using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Psoxy.Infra.Hosts.Aws;

namespace Psoxy.Infra.Verification;

/// <summary>Makes a request to a proxy instance as Worklytics would make it: signed or carrying a token.</summary>
internal interface IRequestAuthenticator
{
    /// <summary>Adds the signature or token to a request that is otherwise ready to send.</summary>
    /// <exception cref="CallerCredentialsException">No credentials or token could be obtained.</exception>
    Task AuthenticateAsync(HttpRequestMessage request, CancellationToken ct);

    /// <summary>Who the requests are made as, in words, for when the host refuses them.</summary>
    Task<string> DescribeCallerAsync(CancellationToken ct);
}

/// <summary>The caller's credentials or token could not be obtained; the message says from where and why.</summary>
internal sealed class CallerCredentialsException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Where AWS credentials come from (the default chain, an assumed role, or a test's fixed keys).</summary>
internal interface IAwsCredentialSource
{
    Task<ImmutableCredentials> GetCredentialsAsync(CancellationToken ct);

    /// <summary>The principal the credentials belong to, e.g. a role ARN; best effort.</summary>
    Task<string> DescribeAsync(CancellationToken ct);
}

/// <summary>Where Google ID tokens come from (application default credentials, or a token given on the command line).</summary>
internal interface IIdTokenSource
{
    /// <summary>A Google-signed ID token for <paramref name="audience"/>.</summary>
    Task<string> GetIdTokenAsync(string audience, CancellationToken ct);
}

/// <summary>
/// Signs requests to Lambda function URLs with SigV4 (service <c>lambda</c>), as Worklytics and Psoxy's test tool
/// do; the function URL's <c>AWS_IAM</c> auth then decides whether the caller may invoke it.
/// </summary>
internal sealed class AwsSigV4Authenticator(IAwsCredentialSource credentials, string region) : IRequestAuthenticator
{
    public const string ServiceName = "lambda";

    public async Task AuthenticateAsync(HttpRequestMessage request, CancellationToken ct)
    {
        // Every header sent is signed, the Psoxy control headers included, so none can be altered in transit.
        var keys = await credentials.GetCredentialsAsync(ct).ConfigureAwait(false);
        AwsRequestSigner.Sign(request, [], ServiceName, region, keys);
    }

    public Task<string> DescribeCallerAsync(CancellationToken ct) => credentials.DescribeAsync(ct);
}

/// <summary>
/// Sends a Google ID token whose audience is the proxy's origin, as Cloud Run requires of callers of a function
/// that does not allow unauthenticated invocations.
/// </summary>
internal sealed class GoogleIdTokenAuthenticator(IIdTokenSource tokens) : IRequestAuthenticator
{
    private string? _lastToken;

    public async Task AuthenticateAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var token = await tokens.GetIdTokenAsync(AudienceOf(uri), ct).ConfigureAwait(false);
        _lastToken = token;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Cloud Run checks the token's audience against the service URL: scheme and host, no path.</summary>
    public static string AudienceOf(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority);

    public Task<string> DescribeCallerAsync(CancellationToken ct) =>
        Task.FromResult(_lastToken is not null && EmailClaim(_lastToken) is { } email
            ? email
            : "the identity of the ID token (no e-mail claim in it)");

    /// <summary>The token's <c>email</c> claim, read without verification: it only names the caller in a report.</summary>
    internal static string? EmailClaim(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return claims.RootElement.ValueKind == JsonValueKind.Object &&
                claims.RootElement.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String
                ? email.GetString()
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>The token given with <c>--identity-token</c>, e.g. from <c>gcloud auth print-identity-token</c>.</summary>
internal sealed class FixedIdTokenSource(string token) : IIdTokenSource
{
    public Task<string> GetIdTokenAsync(string audience, CancellationToken ct) => Task.FromResult(token);
}
