using System.Text.RegularExpressions;

namespace Psoxy.Infra.Verification;

/// <summary>
/// What a Psoxy instance says on the wire, as its source defines it (java/core: ControlHeader,
/// ProcessedDataMetadataFields, ErrorCauses, HealthCheckRequestHandler; gateway-core: UrlSafeTokenPseudonymEncoder).
/// </summary>
internal static partial class PsoxyProtocol
{
    /// <summary>Sent with any value, makes the request a health check instead of a call to the source.</summary>
    public const string HealthCheckHeader = "X-Psoxy-Health-Check";

    /// <summary>Set by the proxy on a failed response, to one of its error causes (e.g. <c>API_ERROR</c>).</summary>
    public const string ErrorHeader = "X-Psoxy-Error";

    /// <summary>The status a health check answers with when it did not pass (200 when it did).</summary>
    public const int HealthCheckFailedStatus = 412;

    /// <summary>Error causes (values of <see cref="ErrorHeader"/>) the diagnosis distinguishes.</summary>
    public static class ErrorCauses
    {
        public const string ApiError = "API_ERROR";
        public const string BlockedByRules = "BLOCKED_BY_RULES";
        public const string ConnectionSetup = "CONNECTION_SETUP";
        public const string ConfigurationFailure = "CONFIGURATION_FAILURE";
        public const string ConnectionToSource = "CONNECTION_TO_SOURCE";
        public const string NetworkEgressBlocked = "NETWORK_EGRESS_BLOCKED";
        public const string SourceApiReadTimeout = "SOURCE_API_READ_TIMEOUT";
        public const string UnauthorizedIpAddress = "UNAUTHORIZED_IP_ADDRESS";
    }

    /// <summary>
    /// E-mail addresses whose local part is not a Psoxy token. Pseudonymized addresses keep their domain and carry a
    /// prefixed token as local part (<c>t~</c> pseudonym, <c>p~</c> reversible, <c>e~</c> encrypted, <c>h~</c> hash).
    /// </summary>
    public static IEnumerable<string> PlainEmailAddresses(string text) =>
        EmailAddress().Matches(text).Select(m => m.Value).Where(address => !IsToken(address));

    private static bool IsToken(string address) =>
        address.Length > 2 && address[1] == '~' && (address[0] is 't' or 'p' or 'e' or 'h');

    // Tilde is in the local part so a token is matched whole and recognised, not cut at the '~'.
    [GeneratedRegex(@"[A-Za-z0-9._%+~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();
}
