using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.Runtime;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>
/// Obtains the Amazon Cognito IdentityId of a developer-authenticated login
/// (<c>developerProviderName=clientId</c>) by calling Cognito Identity's
/// <c>GetOpenIdTokenForDeveloperIdentity</c> without an IdentityId.
/// </summary>
/// <remarks>
/// Why in-process: the Entra federated credential needs the identity id as its subject while the stack is deployed,
/// and no Pulumi resource returns it. Psoxy's Terraform makes the same call with the AWS CLI; here it is made by the
/// program. Cognito registers the identity on first use and returns the same id afterwards, so calling it on every
/// deployment is idempotent. The credentials come from <see cref="AwsCredentialSources"/> (every source the AWS
/// provider accepts) and the request is signed by AWSSDK.Core's signer (<see cref="AwsRequestSigner"/>). Only the JSON 1.1 POST
/// itself is written here: no AWSSDK.CognitoIdentity package is available.
/// </remarks>
internal sealed class CognitoDeveloperIdentityClient : IDisposable
{
    internal const string ServiceName = "cognito-identity";
    internal const string Operation = "GetOpenIdTokenForDeveloperIdentity";
    internal const string Target = "AWSCognitoIdentityService." + Operation;
    internal const string JsonContentType = "application/x-amz-json-1.1";
    internal const string ServiceEndpointVariable = "AWS_ENDPOINT_URL_COGNITO_IDENTITY";
    internal const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";
    internal const string IgnoreEndpointsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    // Error codes AWS SDKs treat as transient (throttling or service-side failure) besides 5xx/429.
    private static readonly HashSet<string> RetryableErrorTypes = new(StringComparer.Ordinal)
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "InternalErrorException",
        "InternalFailure",
        "ServiceUnavailable",
        "RequestTimeout",
        "RequestTimeoutException",
    };

    private readonly AwsConnectionSettings _settings;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _credentialsLock = new(1, 1);
    private AWSCredentials? _credentials;

    public CognitoDeveloperIdentityClient(AwsConnectionSettings settings, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.Region, nameof(settings));
        if (!IsValidRegion(settings.Region))
        {
            throw new ArgumentException($"'{settings.Region}' is not an AWS region name.", nameof(settings));
        }

        _settings = settings;
        Endpoint = ResolveEndpoint(settings, Environment.GetEnvironmentVariable);
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>The Cognito Identity endpoint requests go to (resolved once, at construction).</summary>
    public Uri Endpoint { get; }

    /// <summary>Attempts per call, the first included (throttling, 5xx and network errors are retried).</summary>
    internal int MaxAttempts { get; init; } = 4;

    /// <summary>Delay before the first retry; doubled for each further one, with jitter, capped at 5 s.</summary>
    internal TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Returns the Cognito IdentityId (<c>region:guid</c>) for the login
    /// <c><paramref name="developerProviderName"/>=<paramref name="clientId"/></c> in the pool,
    /// registering it on first use.
    /// </summary>
    /// <exception cref="CognitoIdentityException">AWS refused the call, retries ran out, or no credentials.</exception>
    public async Task<string> GetIdentityIdAsync(
        string identityPoolId,
        string developerProviderName,
        string clientId,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identityPoolId);
        ArgumentException.ThrowIfNullOrWhiteSpace(developerProviderName);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);

        var login = $"{developerProviderName}={clientId}";
        var body = CreateRequestBody(identityPoolId, developerProviderName, clientId);

        for (var attempt = 1; ; attempt++)
        {
            var credentials = await GetCredentialsAsync(ct).ConfigureAwait(false);
            Failure failure;
            try
            {
                using var request = CreateSignedRequest(body, credentials);
                using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return ReadIdentityId(text, identityPoolId, login, response.StatusCode);
                }

                failure = ReadFailure(response, text);
            }
            catch (HttpRequestException e)
            {
                failure = new Failure("NetworkError", e.Message, null, Retryable: true, e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                failure = new Failure("Timeout", $"no response within {_http.Timeout.TotalSeconds:0} s", null, Retryable: true, e);
            }

            if (!failure.Retryable || attempt >= MaxAttempts)
            {
                var status = failure.Status is { } s ? $" (HTTP {(int)s})" : "";
                var attempts = attempt == 1 ? "" : $" after {attempt} attempts";
                throw new CognitoIdentityException(
                    $"Cognito {Operation} failed for identity pool '{identityPoolId}' and login '{login}'{attempts}: " +
                    $"{failure.ErrorType}: {failure.Message}{status}.",
                    failure.ErrorType,
                    failure.Status,
                    failure.Inner);
            }

            await Task.Delay(BackoffDelay(attempt), ct).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _credentialsLock.Dispose();
    }

    /// <summary>
    /// Explicit setting, else <c>AWS_ENDPOINT_URL_COGNITO_IDENTITY</c>, else <c>AWS_ENDPOINT_URL</c>
    /// (both ignored when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>, as in the AWS SDKs),
    /// else the region's public endpoint.
    /// </summary>
    internal static Uri ResolveEndpoint(AwsConnectionSettings settings, Func<string, string?> environment)
    {
        if (settings.Endpoint is not null)
        {
            return CheckEndpoint(settings.Endpoint, "the configured AWS endpoint");
        }

        var ignoreConfigured = string.Equals(environment(IgnoreEndpointsVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        if (!ignoreConfigured)
        {
            foreach (var variable in new[] { ServiceEndpointVariable, GlobalEndpointVariable })
            {
                var value = environment(variable);
                if (string.IsNullOrWhiteSpace(value))
                {
                    continue;
                }

                if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
                {
                    throw new CognitoIdentityException($"{variable} is not an absolute URL: '{value}'.");
                }

                return CheckEndpoint(uri, variable);
            }
        }

        return DefaultEndpoint(settings.Region);
    }

    internal static Uri DefaultEndpoint(string region)
    {
        var domain = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{ServiceName}.{region}.{domain}/");
    }

    private static Uri CheckEndpoint(Uri uri, string source)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new CognitoIdentityException($"The endpoint from {source} must be an absolute http(s) URL: '{uri}'.");
        }

        return uri;
    }

    private static bool IsValidRegion(string region) =>
        region.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static byte[] CreateRequestBody(string identityPoolId, string developerProviderName, string clientId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("IdentityPoolId", identityPoolId);
            json.WriteStartObject("Logins");
            json.WriteString(developerProviderName, clientId);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private HttpRequestMessage CreateSignedRequest(byte[] body, ImmutableCredentials credentials)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(JsonContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", Target);
        AwsRequestSigner.Sign(request, body, ServiceName, _settings.Region, credentials);
        return request;
    }

    private static string ReadIdentityId(string text, string identityPoolId, string login, HttpStatusCode status)
    {
        // The response also carries an OpenID token: never echo the body.
        string? identityId = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("IdentityId", out var value) &&
                value.ValueKind == JsonValueKind.String)
            {
                identityId = value.GetString();
            }
        }
        catch (JsonException)
        {
        }

        if (string.IsNullOrWhiteSpace(identityId))
        {
            throw new CognitoIdentityException(
                $"Cognito {Operation} for identity pool '{identityPoolId}' and login '{login}' returned no IdentityId.",
                null,
                status);
        }

        return identityId;
    }

    private static Failure ReadFailure(HttpResponseMessage response, string text)
    {
        string? type = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                type = StringProperty(root, "__type") ?? StringProperty(root, "code");
                message = StringProperty(root, "message") ?? StringProperty(root, "Message");
            }
        }
        catch (JsonException)
        {
            message = text.Length > 300 ? text[..300] + "..." : text;
        }

        if (type is null && response.Headers.TryGetValues("x-amzn-ErrorType", out var headerTypes))
        {
            type = headerTypes.FirstOrDefault();
        }

        // "__type" may be namespaced ("com.amazonaws...#Name") or carry a suffix ("Name:http://...").
        type = string.IsNullOrWhiteSpace(type) ? $"HTTP{(int)response.StatusCode}" : type;
        type = type[(type.LastIndexOf('#') + 1)..];
        var colon = type.IndexOf(':', StringComparison.Ordinal);
        type = colon > 0 ? type[..colon] : type;

        var code = (int)response.StatusCode;
        var retryable = code >= 500 || code == 429 || RetryableErrorTypes.Contains(type);
        return new Failure(type, string.IsNullOrWhiteSpace(message) ? "(no message)" : message, response.StatusCode, retryable, null);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private TimeSpan BackoffDelay(int attempt)
    {
        var exponential = RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, 5000);
#pragma warning disable CA5394 // Jitter only, not security sensitive.
        var jittered = capped * (0.5 + (Random.Shared.NextDouble() / 2));
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(jittered);
    }

    private async Task<ImmutableCredentials> GetCredentialsAsync(CancellationToken ct)
    {
        var source = Volatile.Read(ref _credentials);
        if (source is null)
        {
            await _credentialsLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                source = _credentials ??= await AwsCredentialSources.ResolveAsync(_settings, ct).ConfigureAwait(false);
            }
            finally
            {
                _credentialsLock.Release();
            }
        }

        ImmutableCredentials credentials;
        try
        {
            credentials = await source.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not CognitoIdentityException)
        {
            throw new CognitoIdentityException($"Could not obtain AWS credentials ({AwsCredentialSources.Describe(_settings)}): {e.Message}", e);
        }

        if (credentials is null || string.IsNullOrEmpty(credentials.AccessKey) || string.IsNullOrEmpty(credentials.SecretKey))
        {
            throw new CognitoIdentityException($"The AWS credentials ({AwsCredentialSources.Describe(_settings)}) have no access key or secret key.");
        }

        return credentials;
    }

    /// <summary>The SDK's request type needs a model object; the body is set directly.</summary>

    private sealed record Failure(string ErrorType, string Message, HttpStatusCode? Status, bool Retryable, Exception? Inner);
}

/// <summary>A Cognito Identity call failed; the message names the pool, the login and AWS's error, never credentials.</summary>
internal sealed class CognitoIdentityException : Exception
{
    public CognitoIdentityException()
    {
    }

    public CognitoIdentityException(string message)
        : base(message)
    {
    }

    public CognitoIdentityException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public CognitoIdentityException(string message, string? errorType, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorType = errorType;
        StatusCode = statusCode;
    }

    /// <summary>AWS's error type, e.g. <c>ResourceNotFoundException</c>; null for local failures.</summary>
    public string? ErrorType { get; }

    /// <summary>The HTTP status of the failed response, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }
}
