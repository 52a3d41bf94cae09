using System.Net.Http.Headers;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>
/// Signs a plain <see cref="HttpRequestMessage"/> with AWS Signature Version 4, using AWSSDK.Core's own signer: for the
/// calls the program makes without a service client (Cognito's developer identities, Lambda function URLs).
/// </summary>
internal static class AwsRequestSigner
{
    private static readonly AWS4Signer Signer = new();

    // The signer asks a client config only for what the request does not say; service and region are set on the
    // request, so any service's config serves (STS's is the one this program references).
    private static readonly Lazy<IClientConfig> SignerConfig = new(() => new AmazonSecurityTokenServiceConfig { RegionEndpoint = RegionEndpoint.USEast1 });

    /// <summary>
    /// Signs <paramref name="request"/> for <paramref name="service"/> in <paramref name="region"/>: every header it
    /// carries is signed, and the signature's own headers (host, date, content hash, token, authorization) are added.
    /// </summary>
    public static void Sign(HttpRequestMessage request, byte[] body, string service, string region, ImmutableCredentials credentials)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));

        // The signer works on the SDK's own request type: describe the request with it, sign, then copy the headers
        // it signed back onto the HttpRequestMessage.
        var described = new DefaultRequest(new SignedCall(), service)
        {
            HttpMethod = request.Method.Method,
            Endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority)),
            ResourcePath = uri.AbsolutePath,
            Content = body,
            AuthenticationRegion = region,
            OverrideSigningServiceName = service,
        };
        foreach (var (name, value) in QueryParameters(uri))
        {
            described.Parameters[name] = value;
        }

        foreach (var header in request.Headers)
        {
            described.Headers[header.Key] = string.Join(',', header.Value);
        }

        if (request.Content?.Headers.ContentType is { } contentType)
        {
            described.Headers["Content-Type"] = contentType.ToString();
        }

        if (credentials.UseToken)
        {
            described.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var signature = Signer.SignRequest(described, SignerConfig.Value, null, credentials.AccessKey, credentials.SecretKey);
        described.Headers["Authorization"] = signature.ForAuthorizationHeader;

        foreach (var (name, value) in described.Headers)
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else if (!string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private static IEnumerable<(string Name, string Value)> QueryParameters(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty));

    private sealed class SignedCall : AmazonWebServiceRequest;
}
