using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Psoxy.Infra.Planning;

/// <summary>A YAML node of a stack file, with where it starts (1-based line and column).</summary>
internal abstract class YamlValue(int line, int column)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}

/// <summary>A scalar; <see cref="Plain"/> when written unquoted and untagged, so YAML gives it a type by its text.</summary>
internal sealed class YamlText(string value, bool plain, int line, int column) : YamlValue(line, column)
{
    public string Value { get; } = value;
    public bool Plain { get; } = plain;

    /// <summary>Nothing after the colon (or <c>~</c>, <c>null</c>): YAML's null.</summary>
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed class YamlList(int line, int column) : YamlValue(line, column)
{
    public List<YamlValue> Items { get; } = [];
}

internal sealed class YamlMap(int line, int column) : YamlValue(line, column)
{
    public List<(YamlValue Key, YamlValue Value)> Entries { get; } = [];

    /// <summary>The key's text when it is a scalar, else null (a list or mapping used as a key).</summary>
    public static string? KeyText(YamlValue key) => (key as YamlText)?.Value;
}

/// <summary>
/// Reads YAML text into <see cref="YamlValue"/> documents, keeping every position and every entry (duplicate keys
/// included, so they can be reported rather than thrown). Aliases resolve to their anchored node; merge keys
/// (<c>&lt;&lt;: *anchor</c>) are expanded, explicit keys winning. Throws <see cref="YamlException"/> on a syntax error,
/// with the position of the last node read when YamlDotNet itself gives none.
/// </summary>
internal sealed class StackFileYaml
{
    private readonly IParser _parser;
    private readonly Dictionary<string, YamlValue> _anchors = new(StringComparer.Ordinal);

    private Mark _last = Mark.Empty;

    private StackFileYaml(string text) => _parser = new Parser(new StringReader(text));

    /// <summary>Every document of <paramref name="text"/>, in order (none for an empty file or one of comments).</summary>
    public static List<YamlValue> Documents(string text) => new StackFileYaml(text).ReadStream();

    private ParsingEvent Current => _parser.Current ?? throw new YamlException("unexpected end of the YAML text");

    private void Advance()
    {
        if (_parser.Current is { } current)
        {
            _last = current.End;
        }

        try
        {
            _parser.MoveNext();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException)
        {
            // YamlDotNet's scanner fails this way on some malformed input (such as an unclosed [ list).
            throw new YamlException(_last, _last, "the text after this point cannot be read as YAML (is a [, { or quote left open?)", e);
        }
    }

    private List<YamlValue> ReadStream()
    {
        var documents = new List<YamlValue>();
        Advance();
        Expect<StreamStart>();
        while (Current is DocumentStart)
        {
            Advance();
            documents.Add(ReadNode());
            Expect<DocumentEnd>();
        }

        Expect<StreamEnd>();
        return documents;
    }

    private void Expect<T>()
        where T : ParsingEvent
    {
        if (Current is not T)
        {
            throw new YamlException(Current.Start, Current.End, $"unexpected {Current.GetType().Name}");
        }

        Advance();
    }

    private YamlValue ReadNode()
    {
        var current = Current;
        Advance();
        switch (current)
        {
            case AnchorAlias alias:
                return _anchors.TryGetValue(alias.Value.Value, out var anchored)
                    ? anchored
                    : throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} above it");
            case Scalar scalar:
                {
                    var plain = scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty;
                    return Anchor(scalar.Anchor, new YamlText(scalar.Value, plain, (int)scalar.Start.Line, (int)scalar.Start.Column));
                }

            case SequenceStart start:
                {
                    // Anchored once complete, so a node cannot contain itself.
                    var list = new YamlList((int)start.Start.Line, (int)start.Start.Column);
                    while (Current is not SequenceEnd)
                    {
                        list.Items.Add(ReadNode());
                    }

                    Advance();
                    return Anchor(start.Anchor, list);
                }

            case MappingStart start:
                {
                    var map = new YamlMap((int)start.Start.Line, (int)start.Start.Column);
                    while (Current is not MappingEnd)
                    {
                        var key = ReadNode();
                        map.Entries.Add((key, ReadNode()));
                    }

                    Advance();
                    Merge(map);
                    return Anchor(start.Anchor, map);
                }

            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    /// <summary>Replaces merge keys (<c>&lt;&lt;: *defaults</c>) by the entries of the mappings they name.</summary>
    private static void Merge(YamlMap map)
    {
        var merges = map.Entries.Where(e => e.Key is YamlText { Plain: true, Value: "<<" }).ToList();
        if (merges.Count == 0)
        {
            return;
        }

        map.Entries.RemoveAll(e => e.Key is YamlText { Plain: true, Value: "<<" });
        var present = map.Entries.Select(e => YamlMap.KeyText(e.Key)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in merges)
        {
            var sources = value switch
            {
                YamlMap one => [one],
                YamlList list when list.Items.All(i => i is YamlMap) => list.Items.Cast<YamlMap>().ToList(),
                _ => throw new YamlException(new Mark(0, key.Line, key.Column), new Mark(0, key.Line, key.Column), "a merge key (<<) takes a mapping or a list of mappings, such as *defaults"),
            };
            foreach (var entry in sources.SelectMany(s => s.Entries))
            {
                if (YamlMap.KeyText(entry.Key) is not { } name || present.Add(name))
                {
                    map.Entries.Add(entry);
                }
            }
        }
    }

    private T Anchor<T>(AnchorName anchor, T node)
        where T : YamlValue
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }
}
