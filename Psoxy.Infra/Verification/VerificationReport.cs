using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Verification;

/// <summary>How <c>verify</c> prints its verdicts.</summary>
internal enum ReportFormat
{
    Text,
    Json,
}

/// <summary>Renders the verdicts: one line (text) or one entry (JSON) per connector, naming it, its verdict, the cause and the next step.</summary>
internal static class VerificationReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Read in terminals and by tools, never embedded in HTML: keep backticks and quotes as they are.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Render(HostPlatform host, IReadOnlyList<ConnectorVerdict> verdicts, ReportFormat format) => format switch
    {
        ReportFormat.Json => Json(host, verdicts),
        _ => Text(host, verdicts),
    };

    private static string Text(HostPlatform host, IReadOnlyList<ConnectorVerdict> verdicts)
    {
        var rows = verdicts.Select(v => (
            Connector: v.Connector.Id,
            Verdict: v.Passed ? "pass" : "FAIL",
            Check: CheckName(v.Check),
            Detail: v.Failure is { } f ? $"{OneLine(f.Cause).TrimEnd('.')}. Next: {OneLine(f.NextStep)}" : $"healthy; {v.Connector.Spec.VerificationCall} answered with pseudonymized data")).ToList();
        var header = (Connector: "CONNECTOR", Verdict: "VERDICT", Check: "CHECK", Detail: "CAUSE / NEXT STEP");
        var widths = (
            Connector: rows.Append(header).Max(r => r.Connector.Length),
            Verdict: rows.Append(header).Max(r => r.Verdict.Length),
            Check: rows.Append(header).Max(r => r.Check.Length));

        var text = new StringBuilder();
        text.AppendLine($"Verified {verdicts.Count} connector(s) on {HostName(host)}:");
        text.AppendLine();
        foreach (var row in rows.Prepend(header))
        {
            text.AppendLine($"{row.Connector.PadRight(widths.Connector)}  {row.Verdict.PadRight(widths.Verdict)}  {row.Check.PadRight(widths.Check)}  {row.Detail}");
        }

        text.AppendLine();
        text.AppendLine($"{verdicts.Count(v => v.Passed)} of {verdicts.Count} passed.");
        return text.ToString();
    }

    private static string Json(HostPlatform host, IReadOnlyList<ConnectorVerdict> verdicts) =>
        JsonSerializer.Serialize(
            new JsonReport(
                HostName(host),
                verdicts.All(v => v.Passed),
                verdicts.Select(v => new JsonVerdict(
                    v.Connector.Id,
                    v.Connector.DisplayName,
                    v.Connector.EndpointUrl.AbsoluteUri,
                    v.Passed ? "pass" : "fail",
                    CheckName(v.Check),
                    v.Failure?.Cause,
                    v.Failure?.NextStep)).ToList()),
            JsonOptions) + Environment.NewLine;

    // SDK messages can span lines; the table keeps one line per connector.
    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string HostName(HostPlatform host) => host == HostPlatform.Aws ? "AWS" : "GCP";

    private static string CheckName(VerificationCheck check) => check == VerificationCheck.HealthCheck ? "health check" : "verification call";

    private sealed record JsonReport(string Host, bool Passed, IReadOnlyList<JsonVerdict> Connectors);

    private sealed record JsonVerdict(string Id, string DisplayName, string EndpointUrl, string Verdict, string Check, string? Cause, string? NextStep);
}
