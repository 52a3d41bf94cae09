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
            Verdict: v.Passed ? "pass" : VerdictName(v).ToUpperInvariant(),
            Check: CheckName(v.Check),
            Detail: v.Failure is { } f ? Describe(f) : $"healthy; {v.Calls.Count} data call(s) answered with pseudonymized data")).ToList();
        var header = (Connector: "CONNECTOR", Verdict: "VERDICT", Check: "CHECK", Detail: "CAUSE / NEXT STEP");
        var widths = (
            Connector: rows.Append(header).Max(r => r.Connector.Length),
            Verdict: rows.Append(header).Max(r => r.Verdict.Length),
            Check: rows.Append(header).Max(r => r.Check.Length));

        var text = new StringBuilder();
        text.AppendLine($"Verified {verdicts.Count} connector(s) on {HostName(host)}:");
        text.AppendLine();
        text.AppendLine($"{header.Connector.PadRight(widths.Connector)}  {header.Verdict.PadRight(widths.Verdict)}  {header.Check.PadRight(widths.Check)}  {header.Detail}");
        foreach (var (verdict, row) in verdicts.Zip(rows))
        {
            text.AppendLine($"{row.Connector.PadRight(widths.Connector)}  {row.Verdict.PadRight(widths.Verdict)}  {row.Check.PadRight(widths.Check)}  {row.Detail}");
            // Indented, so that each connector's summary stays the one line starting with its id.
            foreach (var call in verdict.Calls)
            {
                text.AppendLine($"    {OutcomeName(call.Outcome),-7} {call.Path} ({call.Call.Permission}){CallDetail(call)}");
            }

            foreach (var warning in verdict.Warnings)
            {
                text.AppendLine($"    warning {OneLine(warning)}");
            }
        }

        text.AppendLine();
        text.AppendLine($"{verdicts.Count(v => v.Passed)} of {verdicts.Count} passed.");
        return text.ToString();
    }

    private static string CallDetail(CallResult call) => call.Outcome switch
    {
        CallOutcome.Failed when call.Failure is { } f => ": " + Describe(f),
        CallOutcome.Skipped => $": {call.SkipReason}",
        _ => "",
    };

    private static string Json(HostPlatform host, IReadOnlyList<ConnectorVerdict> verdicts) =>
        JsonSerializer.Serialize(
            new JsonReport(
                HostName(host),
                verdicts.All(v => v.Passed),
                verdicts.Select(v => new JsonVerdict(
                    v.Connector.Id,
                    v.Connector.DisplayName,
                    v.Connector.EndpointUrl.AbsoluteUri,
                    VerdictName(v),
                    CheckName(v.Check),
                    v.Failure?.Cause,
                    v.Failure?.NextStep,
                    v.Calls.Select(c => new JsonCall(c.Path, c.Call.Permission, OutcomeName(c.Outcome), c.Failure?.Cause, c.Failure?.NextStep, c.SkipReason)).ToList(),
                    v.Warnings)).ToList()),
            JsonOptions) + Environment.NewLine;

    private static string VerdictName(ConnectorVerdict verdict) =>
        verdict.Passed ? "pass" : verdict.Incomplete ? "incomplete" : "fail";

    private static string OutcomeName(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Passed => "pass",
        CallOutcome.Failed => "FAIL",
        _ => "skipped",
    };

    private static string Describe(Finding finding) => $"{OneLine(finding.Cause).TrimEnd('.')}. Next: {OneLine(finding.NextStep)}";

    // SDK messages can span lines; the table keeps one line per connector.
    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string HostName(HostPlatform host) => host == HostPlatform.Aws ? "AWS" : "GCP";

    private static string CheckName(VerificationCheck check) => check == VerificationCheck.HealthCheck ? "health check" : "data calls";

    private sealed record JsonReport(string Host, bool Passed, IReadOnlyList<JsonVerdict> Connectors);

    private sealed record JsonVerdict(
        string Id, string DisplayName, string EndpointUrl, string Verdict, string Check, string? Cause, string? NextStep,
        IReadOnlyList<JsonCall> Calls, IReadOnlyList<string> Warnings);

    private sealed record JsonCall(string Path, string Permission, string Outcome, string? Cause, string? NextStep, string? SkipReason);
}
