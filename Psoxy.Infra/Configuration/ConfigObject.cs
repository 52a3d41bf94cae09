using System.Globalization;
using System.Text.Json;

namespace Psoxy.Infra.Configuration;

/// <summary>
/// Reads one object-valued key (such as <c>psoxy:aws</c>) field by field, adding a <see cref="ConfigProblem"/> per bad
/// field, keyed by its path (<c>aws.accountId</c>, as <c>pulumi config set --path</c> writes it), so all problems of
/// the object are reported together.
/// </summary>
internal sealed class ConfigObject
{
    private readonly Dictionary<string, JsonElement> _fields;
    private readonly List<ConfigProblem> _problems;

    private ConfigObject(string key, Dictionary<string, JsonElement> fields, List<ConfigProblem> problems)
    {
        Key = key;
        _fields = fields;
        _problems = problems;
    }

    /// <summary>The object's own key, e.g. <c>aws</c>.</summary>
    public string Key { get; }

    /// <summary>The object at <paramref name="key"/>, or null (with a problem added) when it is not set or not an object.</summary>
    public static ConfigObject? Read(IConfigSource source, string key, string allowed, List<ConfigProblem> problems)
    {
        var raw = source.Get(key);
        if (raw is null)
        {
            problems.Add(new(key, null, "set it to " + allowed));
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var fields = document.RootElement.EnumerateObject()
                    .ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
                return new ConfigObject(key, fields, problems);
            }
        }
        catch (JsonException)
        {
        }

        problems.Add(new(key, raw, "allowed: an object; " + allowed));
        return null;
    }

    /// <summary>The path of a field, as problems name it.</summary>
    public string PathOf(string field) => $"{Key}.{field}";

    /// <summary>Adds a problem for one field.</summary>
    public void Problem(string field, string? value, string allowed) => _problems.Add(new(PathOf(field), value, allowed));

    /// <summary>Reports every field not in <paramref name="known"/> (most often a typo), naming the known ones.</summary>
    public void RejectUnknownFields(params string[] known)
    {
        foreach (var name in _fields.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            Problem(name, Display(_fields[name]), "not a known field; allowed fields: " + string.Join(", ", known));
        }
    }

    /// <summary>
    /// A string field. Null when absent (a problem if <paramref name="required"/>) or invalid (a problem naming
    /// <paramref name="allowed"/>); <paramref name="isValid"/> decides validity of present strings.
    /// </summary>
    public string? String(string field, bool required, string allowed, Func<string, bool>? isValid = null)
    {
        if (!_fields.TryGetValue(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                _problems.Add(new(PathOf(field), null, "set it to " + allowed));
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.String || (isValid is not null && !isValid(element.GetString()!)))
        {
            Problem(field, Display(element), "allowed: " + allowed);
            return null;
        }

        return element.GetString()!;
    }

    /// <summary>A whole-number field from <paramref name="min"/> to <paramref name="max"/>; written as a number or a numeric string.</summary>
    public int Integer(string field, int defaultValue, int min, int max, string? unit = null)
    {
        if (!_fields.TryGetValue(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        if (ParseInteger(element) is { } parsed && parsed >= min && parsed <= max)
        {
            return parsed;
        }

        var suffix = unit is null ? string.Empty : " " + unit;
        Problem(field, Display(element), $"allowed: a whole number from {min} to {max}{suffix} (default {defaultValue})");
        return defaultValue;
    }

    /// <summary>
    /// A whole-number field that must be one of <paramref name="values"/> (written as a number or a numeric string);
    /// anything else is one problem listing them after <paramref name="allowed"/>.
    /// </summary>
    public int IntegerOneOf(string field, int defaultValue, IReadOnlyList<int> values, string allowed)
    {
        if (!_fields.TryGetValue(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        if (ParseInteger(element) is { } parsed && values.Contains(parsed))
        {
            return parsed;
        }

        Problem(field, Display(element), $"allowed: {allowed}: {string.Join(", ", values)} (default {defaultValue})");
        return defaultValue;
    }

    private static int? ParseInteger(JsonElement element)
    {
        var text = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        return element.ValueKind is JsonValueKind.Number or JsonValueKind.String
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : null;
    }

    /// <summary>
    /// A list of strings (absent means empty). A non-list is one problem; each invalid item is its own problem
    /// naming the item; duplicates are reported too.
    /// </summary>
    public List<string> StringList(string field, string allowed, Func<string, bool> isValid)
    {
        if (!_fields.TryGetValue(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            Problem(field, Display(element), $"allowed: a list, each item {allowed}");
            return [];
        }

        var items = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !isValid(item.GetString()!))
            {
                Problem(field, Display(item), "not valid in this list; each item must be " + allowed);
            }
            else if (items.Contains(item.GetString()!, StringComparer.Ordinal))
            {
                Problem(field, item.GetString(), "listed twice; each item may appear once");
            }
            else
            {
                items.Add(item.GetString()!);
            }
        }

        return items;
    }

    private static string Display(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
}
