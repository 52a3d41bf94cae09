using System.Text;
using Psoxy.Infra.Catalog;

namespace Psoxy.Infra.Hosts;

/// <summary>One value to enter in Worklytics when connecting a proxy instance, and its deep-link parameter.</summary>
internal sealed record WorklyticsSetting(string Label, string QueryParameter, string Value);

/// <summary>How to connect one proxy instance in Worklytics.</summary>
/// <param name="Connector">The connector the instance serves.</param>
/// <param name="DeploymentKind"><c>AWS</c> or <c>GCP</c>.</param>
/// <param name="Settings">The values to enter, the Psoxy base URL first.</param>
internal sealed record WorklyticsConnection(ConnectorSpec Connector, string DeploymentKind, IReadOnlyList<WorklyticsSetting> Settings)
{
    public const string Host = "intl.worklytics.co";

    /// <summary>Opens the connector's settings in Worklytics with every value filled in.</summary>
    public string DeepLink
    {
        get
        {
            var query = new[] { $"PROXY_DEPLOYMENT_KIND={DeploymentKind}" }
                .Concat(Settings.Select(s => $"{s.QueryParameter}={Uri.EscapeDataString(s.Value)}"));
            return $"https://{Host}/analytics/connect/{WorklyticsConnectorIdSegment}/settings?{string.Join('&', query)}";
        }
    }

    private string WorklyticsConnectorIdSegment => Uri.EscapeDataString(Connector.WorklyticsConnectorId);
}

/// <summary>The Markdown handed to whoever connects the proxy instances in Worklytics.</summary>
internal static class WorklyticsInstructions
{
    public static string Render(string environment, string hostName, IReadOnlyList<WorklyticsConnection> connections)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Connect the Psoxy instances of '{environment}' in Worklytics");
        md.AppendLine();
        md.AppendLine($"Do this after the Entra admin has granted consent (see adminInstructions). For each connector below, open the link while signed in to Worklytics: it opens the connector's settings with the values filled in. To do it by hand: Manage > Data Connections > Add new connection > \"<connector> via Psoxy\" > {hostName}, and enter the values listed.");
        foreach (var connection in connections.OrderBy(c => c.Connector.Id, StringComparer.Ordinal))
        {
            md.AppendLine();
            md.AppendLine($"## {connection.Connector.DisplayName} (`{connection.Connector.Id}`)");
            md.AppendLine();
            foreach (var setting in connection.Settings)
            {
                md.AppendLine($"- **{setting.Label}**: `{setting.Value}`");
            }

            md.AppendLine();
            md.AppendLine($"[Connect {connection.Connector.DisplayName} in Worklytics]({connection.DeepLink})");
        }

        md.AppendLine();
        md.AppendLine("Worklytics runs a health check on each connection; a failing one usually means consent is missing or the caller identity is not allowed to invoke the proxy.");
        return md.ToString();
    }
}
