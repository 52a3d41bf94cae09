using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>
/// AWS Signature Version 4 for requests whose headers and payload hash are known up front
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
/// </summary>
internal static class SigV4
{
    internal const string Algorithm = "AWS4-HMAC-SHA256";

    internal static string FormatAmzDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    internal static string HexSha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    internal static string HexSha256(string text) => HexSha256(Encoding.UTF8.GetBytes(text));

    internal static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>
    /// Signs a request. <paramref name="headers"/> are the headers to sign, which must include
    /// <c>Host</c> and <c>X-Amz-Date</c> (= <see cref="FormatAmzDate"/> of <paramref name="time"/>)
    /// exactly as they will be sent.
    /// </summary>
    internal static Signature Sign(
        string method,
        Uri uri,
        IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHashHex,
        string region,
        string service,
        string accessKey,
        string secretKey,
        DateTimeOffset time)
    {
        var amzDate = FormatAmzDate(time);
        var date = amzDate[..8];

        var canonicalHeaders = headers
            .GroupBy(h => h.Key.Trim().ToLowerInvariant(), h => CanonicalHeaderValue(h.Value), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(',', g)))
            .ToList();
        var signedHeaders = string.Join(';', canonicalHeaders.Select(h => h.Name));

        var canonicalRequest = new StringBuilder()
            .Append(method).Append('\n')
            .Append(CanonicalUri(uri)).Append('\n')
            .Append(CanonicalQuery(uri)).Append('\n');
        foreach (var (name, value) in canonicalHeaders)
        {
            canonicalRequest.Append(name).Append(':').Append(value).Append('\n');
        }

        canonicalRequest.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHashHex);

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{HexSha256(canonicalRequest.ToString())}";
        var signature = Convert.ToHexStringLower(
            HMACSHA256.HashData(SigningKey(secretKey, date, region, service), Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new Signature(canonicalRequest.ToString(), stringToSign, signature, authorization);
    }

    private static string CanonicalHeaderValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.Trim())
        {
            if (c == ' ' && builder.Length > 0 && builder[^1] == ' ')
            {
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    // Non-S3 services: each segment of the (already escaped) path is URI-encoded once more.
    private static string CanonicalUri(Uri uri)
    {
        var path = uri.AbsolutePath;
        return string.IsNullOrEmpty(path) ? "/" : string.Join('/', path.Split('/').Select(Encode));
    }

    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }

        var pairs = query
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p =>
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? p : p[..eq];
                var value = eq < 0 ? "" : p[(eq + 1)..];
                return (Name: Encode(Uri.UnescapeDataString(name)), Value: Encode(Uri.UnescapeDataString(value)));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Name}={p.Value}"));
    }

    // RFC 3986 percent-encoding of everything but the unreserved characters, upper-case hex.
    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    internal sealed record Signature(string CanonicalRequest, string StringToSign, string Value, string Authorization);
}
