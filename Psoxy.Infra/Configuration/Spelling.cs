namespace Psoxy.Infra.Configuration;

/// <summary>Suggestions for misspelt names (configuration keys, stack file keys).</summary>
internal static class Spelling
{
    /// <summary>
    /// The candidate closest to <paramref name="name"/>, ignoring case, when it is close enough to be a likely typo:
    /// within <paramref name="maxDistance"/> edits, by default 2 or a quarter of the candidate's length.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> candidates, int? maxDistance = null)
    {
        var closest = candidates.MinBy(c => EditDistance(c.ToLowerInvariant(), name.ToLowerInvariant()));
        return closest is not null && EditDistance(closest.ToLowerInvariant(), name.ToLowerInvariant()) <= (maxDistance ?? Math.Max(2, closest.Length / 4)) ? closest : null;
    }

    /// <summary>The Levenshtein distance: single-character insertions, deletions and substitutions.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
