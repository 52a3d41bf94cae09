using System.Collections.Immutable;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>
/// The graph is the truth: every value one resource's inputs take from another resource's outputs is an edge of the
/// graph the plan draws (Pulumi's own tracking). Checked independently, by value: under <see cref="FakeCloud"/> every
/// value a provider computes is distinct, so where it turns up in another resource's inputs, that resource consumed it.
/// </summary>
public sealed class DependencyGraphTests
{
    public static TheoryData<string, string> Stacks => new()
    {
        { "aws", "federated" },
        { "aws", "certificate" },
        { "gcp", "federated" },
        { "gcp", "certificate" },
    };

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task EveryInputCarryingAnotherResourcesOutput_IsAnEdge(string host, string auth)
    {
        var stack = await SafetyRun.ObserveAsync(SecurityInvariantTests.AllConnectors(host, auth, protect: true));
        var cloud = stack.Run.Cloud;
        var byTypeAndName = stack.Resources.Where(r => r.Custom).ToDictionary(r => (r.Type, r.Name));

        // Each computed value (not an echoed input), long enough to be unmistakable, that exactly one resource produced.
        var producers = cloud.Created
            .Where(c => byTypeAndName.ContainsKey(c.Key))
            .SelectMany(c => ComputedValues(c.Value.Id, c.Value.Outputs, byTypeAndName[c.Key].Inputs).Select(v => (Value: v, Producer: byTypeAndName[c.Key].Urn)))
            .GroupBy(p => p.Value, StringComparer.Ordinal)
            .Where(g => g.Select(p => p.Producer).Distinct().Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Producer, StringComparer.Ordinal);

        var missing = new List<string>();
        var consumed = 0;
        foreach (var resource in byTypeAndName.Values)
        {
            foreach (var text in Strings(resource.Inputs))
            {
                foreach (var (value, producer) in producers.Where(p => Mentions(text, p.Key)))
                {
                    if (producer == resource.Urn)
                    {
                        continue;
                    }

                    consumed++;
                    if (!resource.DependsOn.Contains(producer))
                    {
                        missing.Add($"{resource.Urn} uses '{value}' from {producer}");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "Data flows the graph does not show:\n" + string.Join('\n', missing.Distinct()));
        // The check saw real data flow: applications to credentials and functions, accounts/pools to policies...
        Assert.True(consumed > 10, $"only {consumed} flows found");
    }

    [Fact]
    public async Task CertificateMode_ChainsKeyCertificateAndApplicationCertificate()
    {
        var stack = await SafetyRun.ObserveAsync(SecurityInvariantTests.AllConnectors("gcp", "certificate", protect: true));
        string Urn(string name) => stack.Resources.Single(r => r.Name == name).Urn;

        var certificate = stack.Resources.Single(r => r.Name == "outlook-cal-certificate" && r.Type.StartsWith("azuread:", StringComparison.Ordinal));
        var selfSigned = stack.Resources.Single(r => r.Type == "tls:index/selfSignedCert:SelfSignedCert" && r.Name.StartsWith("outlook-cal", StringComparison.Ordinal));
        Assert.Contains(selfSigned.Urn, certificate.DependsOn);
        Assert.Contains(Urn("outlook-cal-certificate-key"), selfSigned.DependsOn);
    }

    /// <summary>Whether <paramref name="text"/> holds <paramref name="value"/> as a whole (not as the start of a longer name).</summary>
    private static bool Mentions(string text, string value)
    {
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            var end = at + value.Length;
            if (end == text.Length || !(char.IsLetterOrDigit(text[end]) || text[end] is '_' or '-'))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> ComputedValues(string id, ImmutableDictionary<string, object> outputs, ImmutableDictionary<string, object> inputs)
    {
        var echoed = Strings(inputs).ToHashSet(StringComparer.Ordinal);
        return Strings(outputs).Append(id).Where(v => v.Length >= 12 && !echoed.Contains(v)).Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        string s => [s],
        IDictionary<string, object> map => map.Values.SelectMany(Strings),
        System.Collections.IEnumerable items => items.Cast<object?>().SelectMany(Strings),
        _ => [],
    };
}
