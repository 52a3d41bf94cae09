using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Planning.State;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>
/// What identifies each resource across deployments: its URN (type chain, parent and name) and the inputs its
/// provider cannot change in place. A change to either makes <c>pulumi up</c> delete or replace the resource.
/// </summary>
internal static class ReplacementSnapshot
{
    /// <summary>Per resource type, the inputs whose change forces a replacement: the product's own table.</summary>
    public static ImmutableDictionary<string, ImmutableArray<string>> ReplacingInputs => ReplacementInputs.ByType;

    /// <summary>The snapshot text of a plan: one block per resource, sorted by URN.</summary>
    public static string Of(Plan plan)
    {
        var text = new StringBuilder();
        foreach (var resource in plan.Resources.OrderBy(r => r.Urn, StringComparer.Ordinal))
        {
            text.Append(resource.Urn).Append('\n');
            foreach (var key in ReplacingInputs.GetValueOrDefault(resource.Type, []).Where(resource.Inputs.ContainsKey))
            {
                text.Append("  ").Append(key).Append(" = ").Append(PlanValue.ForPeople(resource.Inputs[key])?.ToJsonString() ?? "null").Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The lines that differ, as a unified-looking list ("- expected", "+ actual"), empty when equal.</summary>
    public static IReadOnlyList<string> Diff(string expected, string actual)
    {
        var before = Blocks(expected);
        var after = Blocks(actual);
        var lines = new List<string>();
        foreach (var (urn, block) in before.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            if (!after.TryGetValue(urn, out var now))
            {
                lines.Add($"- {urn}   (deleted or renamed/re-parented: add an alias)");
            }
            else if (now != block)
            {
                lines.Add($"~ {urn}   (replaced)");
                lines.AddRange(block.Split('\n').Except(now.Split('\n')).Select(l => "-   " + l.Trim()));
                lines.AddRange(now.Split('\n').Except(block.Split('\n')).Select(l => "+   " + l.Trim()));
            }
        }

        lines.AddRange(after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).Select(urn => $"+ {urn}   (new)"));
        return lines;
    }

    private static Dictionary<string, string> Blocks(string snapshot)
    {
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        string? urn = null;
        var lines = new List<string>();
        foreach (var line in snapshot.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Length > 0))
        {
            if (!line.StartsWith(' '))
            {
                if (urn is not null)
                {
                    blocks[urn] = string.Join('\n', lines);
                }

                urn = line;
                lines.Clear();
            }
            else
            {
                lines.Add(line);
            }
        }

        if (urn is not null)
        {
            blocks[urn] = string.Join('\n', lines);
        }

        return blocks;
    }
}
