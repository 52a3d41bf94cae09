namespace Psoxy.Infra.Configuration;

/// <summary>
/// Raw stack configuration values of the <c>psoxy</c> namespace, as Pulumi hands them to programs: strings, with
/// lists and objects as JSON text. Lets the same validation run inside <c>pulumi up</c> and on a stack file offline.
/// </summary>
internal interface IConfigSource
{
    /// <summary>The raw value of <c>psoxy:&lt;name&gt;</c>, or null when it is not set.</summary>
    string? Get(string name);

    /// <summary>Every name set in the <c>psoxy</c> namespace, so misspelled keys can be reported.</summary>
    IEnumerable<string> Names { get; }

    /// <summary>Whether <c>psoxy:&lt;name&gt;</c> is a secret (<c>secure:</c> in the stack file), so a plaintext salt can be warned about.</summary>
    bool IsSecret(string name);
}

/// <summary>Configuration from a plain dictionary keyed by the short name (tests, offline plan).</summary>
/// <param name="secretNames">The short names whose values are secret; with none, every value counts as secret.</param>
internal sealed class DictionaryConfigSource(IReadOnlyDictionary<string, string> values, IReadOnlySet<string>? secretNames = null) : IConfigSource
{
    public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;

    public IEnumerable<string> Names => values.Keys;

    public bool IsSecret(string name) => secretNames?.Contains(name) ?? true;
}
