using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Psoxy.Infra.Configuration;
using YamlDotNet.Core;

namespace Psoxy.Infra.Planning;

/// <summary>
/// A stack's configuration read from its stack file (<c>Pulumi.&lt;stack&gt;.yaml</c>), in the form Pulumi hands it to
/// programs: strings, with lists and objects as JSON text.
/// </summary>
/// <remarks>
/// Loading checks the file and YAML layer only (the file is readable UTF-8 YAML, one document, a mapping whose settings
/// sit under <c>config:</c> in the right namespace, ids quoted); the <c>psoxy:</c> values themselves are validated by
/// <see cref="StackSettingsReader"/>.
/// </remarks>
internal sealed partial class StackFile
{
    private StackFile(Dictionary<string, string> values, HashSet<string> secretKeys)
    {
        Values = values;
        SecretKeys = secretKeys;
    }

    /// <summary>Full keys (<c>psoxy:connectors</c>, <c>aws:region</c>) to raw values.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>Keys whose values are <c>secure:</c> ciphertext, which cannot be decrypted offline.</summary>
    public IReadOnlySet<string> SecretKeys { get; }

    /// <summary>The stand-in value of a secret: the plan shows it as a secret, never as this text.</summary>
    public const string SecretPlaceholder = "(secure value: not decrypted offline)";

    /// <summary>The largest stack file read: real ones are a few KiB.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>The top-level keys of a Pulumi stack file.</summary>
    public static IReadOnlyList<string> StackFileKeys { get; } = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

    /// <summary>Configuration namespaces of the providers the program uses, and Pulumi's own.</summary>
    public static IReadOnlyList<string> ProviderNamespaces { get; } = ["aws", "gcp", "azuread", "random", "tls", "pulumi"];

    /// <summary>The validated settings, read as the program reads them: the psoxy: keys and the provider keys they must agree with.</summary>
    public StackSettings ReadSettings() => StackSettingsReader.Read(PsoxyNamespace, ProviderConfig.From(Values));

    /// <summary>The <c>psoxy:</c> namespace, for validation.</summary>
    public IConfigSource PsoxyNamespace => new DictionaryConfigSource(
        Values.Where(kv => kv.Key.StartsWith(ConfigKeys.Namespace + ":", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[(ConfigKeys.Namespace.Length + 1)..], kv => kv.Value),
        SecretKeys.Where(k => k.StartsWith(ConfigKeys.Namespace + ":", StringComparison.Ordinal)).Select(k => k[(ConfigKeys.Namespace.Length + 1)..]).ToHashSet(StringComparer.Ordinal));

    /// <summary>
    /// A configuration given as values (full keys, Pulumi's form: scalars as text, lists and objects as JSON), with
    /// no secrets and no project defaults: for generated stacks (benchmarks, tests) rather than files.
    /// </summary>
    internal static StackFile FromValues(IReadOnlyDictionary<string, string> values) =>
        new(new Dictionary<string, string>(values, StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));

    /// <summary>
    /// Reads a stack file. The project file declares no defaults (they live in the program), so the stack file is the
    /// whole configuration. Throws <see cref="StackFileException"/>, listing every problem found, when the file is
    /// missing, unreadable, not YAML or not laid out as a stack file; never anything else.
    /// </summary>
    public static StackFile Load(string stackFilePath, string projectName) => new Loader(stackFilePath, projectName).Load();

    /// <summary>Sets <c>PULUMI_CONFIG</c> and <c>PULUMI_CONFIG_SECRET_KEYS</c> as the Pulumi CLI does for a program.</summary>
    public void ExportToEnvironment()
    {
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(Values));
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", JsonSerializer.Serialize(SecretKeys.Order(StringComparer.Ordinal)));
    }

    // A key whose value is secret, as written on a line: `psoxy:pseudonymSalt:`, `encryptionKey:`, `secure:`.
    [GeneratedRegex(@"(?:pseudonymSalt|encryptionKey|secure)['""]?\s*:(?=\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKeyOnLine();

    // YamlDotNet prefixes its messages with the marks: "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): ".
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex YamlMarks();

    /// <summary>Reads one file, collecting problems; every check of the file layer lives here.</summary>
    private sealed class Loader(string path, string project)
    {
        // The namespace the program reads, whatever the project is named (keys without a namespace are in the project's).
        private const string Ours = ConfigKeys.Namespace;

        private const string Example = "config:\n  psoxy:environment: dev\n  psoxy:host: gcp\n  psoxy:connectors:\n    - outlook-cal";

        // Aliases can make a small file expand to a huge tree; a stack file has a few hundred values at most.
        private const int MaxNodes = 100_000;

        private static readonly System.Buffers.SearchValues<char> Printable = System.Buffers.SearchValues.Create(
            Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(c => !char.IsControl(c) || c is '\t' or '\u0085').ToArray());

        private readonly List<StackFileProblem> _problems = [];
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
        private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
        private readonly List<string> _imports = [];
        private string[] _lines = [];
        private int _nodes;

        public StackFile Load()
        {
            var text = ReadText();
            if (text is not null)
            {
                try
                {
                    Analyze(text);
                }
                catch (TooManyNodesException)
                {
                    Problem(null, null, null, $"its anchors and aliases (&name, *name) expand to more than {MaxNodes} values; a stack file needs a few dozen, so write the values out");
                }
            }

            if (_problems.Count > 0)
            {
                var ordered = _problems
                    .DistinctBy(p => (p.Line, p.Column, p.Text))
                    .OrderBy(p => p.Line ?? 0).ThenBy(p => p.Column ?? 0)
                    .ToList();
                throw new StackFileException(path, ordered);
            }

            return new StackFile(_values, _secrets) { EnvironmentImports = _imports };
        }

        /// <summary>
        /// The Pulumi ESC environments of <c>environment:</c>: a list of names, or a mapping whose <c>imports:</c>
        /// holds that list (an item may also be a one-key mapping, name: options).
        /// </summary>
        private void ReadEnvironmentImports(YamlValue value)
        {
            const string Allowed = "environment: lists the Pulumi ESC environments this stack imports, e.g.\nenvironment:\n  - psoxy/prod-secrets";
            var list = value switch
            {
                YamlText { IsNull: true } => new YamlList(value.Line, value.Column),
                YamlList items => items,
                YamlMap map when map.Entries.Count == 1 && YamlMap.KeyText(map.Entries[0].Key) == "imports" => map.Entries[0].Value as YamlList,
                _ => null,
            };
            if (list is null)
            {
                Problem(value.Line, value.Column, "environment", $"environment: holds {Describe(value)}; {Allowed}");
                return;
            }

            foreach (var item in list.Items)
            {
                var name = item switch
                {
                    YamlText { IsNull: false } text => text.Value,
                    YamlMap { Entries.Count: 1 } named => YamlMap.KeyText(named.Entries[0].Key),
                    _ => null,
                };
                if (string.IsNullOrWhiteSpace(name))
                {
                    Problem(item.Line, item.Column, "environment", $"an item of environment: is {Describe(item)}, not an environment name; {Allowed}");
                }
                else if (!_imports.Contains(name, StringComparer.Ordinal))
                {
                    _imports.Add(name);
                }
            }
        }

        private string? ReadText()
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Problem(null, null, null, "is a directory, not a file; give the path of a stack file such as Pulumi.dev.yaml");
                    return null;
                }

                var info = new FileInfo(path);
                if (!info.Exists)
                {
                    Problem(null, null, null, "does not exist; give the path of a stack file such as Pulumi.dev.yaml (`pulumi stack init` creates one)");
                    return null;
                }

                if (info.Length > MaxFileBytes)
                {
                    Problem(null, null, null, $"is {info.Length / 1024} KiB, more than any stack file ({MaxFileBytes / 1024} KiB at most are read; real ones are a few KiB): is it the right file?");
                    return null;
                }

                return Decode(File.ReadAllBytes(path));
            }
            catch (UnauthorizedAccessException)
            {
                Problem(null, null, null, "cannot be read: permission denied; check the file's permissions");
            }
            catch (IOException e)
            {
                Problem(null, null, null, $"cannot be read: {e.Message}");
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                Problem(null, null, null, "is not a valid file path");
            }

            return null;
        }

        /// <summary>UTF-8 (with or without a byte order mark), or UTF-16/32 with one, as YAML allows.</summary>
        private string? Decode(byte[] bytes)
        {
            (Encoding Encoding, int Skip) decoding = bytes switch
            {
                [0xEF, 0xBB, 0xBF, ..] => (new UTF8Encoding(false, true), 3),
                [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true), 4),
                [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2),
                [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2),
                _ => (new UTF8Encoding(false, true), 0),
            };

            string text;
            try
            {
                text = decoding.Encoding.GetString(bytes, decoding.Skip, bytes.Length - decoding.Skip);
            }
            catch (DecoderFallbackException)
            {
                Problem(null, null, null, "is not UTF-8 text (it holds bytes that are not UTF-8, as a binary file or another encoding does); Pulumi reads stack files as UTF-8, so save it as UTF-8 text");
                return null;
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                Problem(null, null, null, "holds NUL characters, so it is a binary file (or UTF-16 without a byte order mark), not YAML text; save the stack file as UTF-8 text");
                return null;
            }

            text = text.TrimStart('\uFEFF');
            _lines = text.Split(["\r\n", "\r", "\n"], StringSplitOptions.None);
            for (var i = 0; i < _lines.Length; i++)
            {
                // YAML allows tabs and line breaks, and no other control character (invisible in most editors).
                var column = _lines[i].AsSpan().IndexOfAnyExcept(Printable);
                if (column >= 0)
                {
                    Problem(i + 1, column + 1, null,
                        $"the control character U+{(int)_lines[i][column]:X4} is not allowed in YAML (it is invisible in most editors); delete it");
                }
            }

            return _problems.Count > 0 ? null : text;
        }

        private void Analyze(string text)
        {
            List<YamlValue> documents;
            try
            {
                documents = StackFileYaml.Documents(text);
            }
            catch (YamlException e)
            {
                SyntaxProblems(e);
                return;
            }

            if (documents.Count > 1)
            {
                var second = documents[1];
                Problem(second.Line, second.Column, null,
                    "a second YAML document starts here (after a --- line); Pulumi reads only the first document of a stack file, so keep every setting in one document and remove the ---");
            }

            var root = documents.Count == 0 ? null : documents[0];
            if (root is null || root is YamlText { IsNull: true })
            {
                Problem(null, null, null, $"is empty; a stack file is a YAML mapping with the settings under config:, e.g.\n{Example}");
                return;
            }

            if (root is not YamlMap map)
            {
                Problem(root.Line, root.Column, null,
                    $"the top level is {Describe(root)}, but a stack file is a mapping (key: value lines) with the settings under config:, e.g.\n{Example}");
                return;
            }

            CheckDuplicates(map, null);
            YamlValue? config = null;
            foreach (var (keyNode, value) in map.Entries)
            {
                var key = YamlMap.KeyText(keyNode);
                if (key is null)
                {
                    Problem(keyNode.Line, keyNode.Column, null, "a key here is a list or mapping; stack file keys are text (config, secretsprovider, encryptedkey, encryptionsalt, environment)");
                }
                else if (key == "config")
                {
                    config ??= value;
                }
                else if (key == "environment" && value is YamlText { IsNull: false } name)
                {
                    // Pulumi's `environment:` imports Pulumi ESC environments (a list); a name here is most likely ours.
                    Problem(keyNode.Line, keyNode.Column, key,
                        $"environment: at the top level lists Pulumi ESC environments to import, not Psoxy's environment name; to name the environment, put it under config:\n{Fix(ConfigKeys.Full(ConfigKeys.Environment), name)}");
                }
                else if (key == "environment")
                {
                    ReadEnvironmentImports(value);
                }
                else if (StackFileKeys.Contains(key))
                {
                }
                else if (key.Contains(':', StringComparison.Ordinal) || ConfigKeys.All.Contains(key, StringComparer.Ordinal))
                {
                    var full = key.Contains(':', StringComparison.Ordinal) ? key : $"{project}:{key}";
                    Problem(keyNode.Line, keyNode.Column, full,
                        $"{key} is outside config:; stack settings go under config:, indented by two spaces:\n{Fix(full, value)}");
                }
                else
                {
                    var hint = Spelling.Closest(key, StackFileKeys, maxDistance: 2) is { } closest ? $" (did you mean {closest}:?)" : string.Empty;
                    Problem(keyNode.Line, keyNode.Column, key,
                        $"'{key}' is not a key of a stack file{hint}; allowed top-level keys: {string.Join(", ", StackFileKeys)}, with the settings under config:");
                }
            }

            ReadConfig(config);
        }

        private void ReadConfig(YamlValue? config)
        {
            if (config is null or YamlText { IsNull: true })
            {
                return;
            }

            if (config is not YamlMap map)
            {
                Problem(config.Line, config.Column, "config",
                    $"config: holds {Describe(config)}, but it must be a mapping of settings (key: value lines indented under it), e.g.\n{Example}");
                return;
            }

            var firstLines = new Dictionary<string, (string Written, int Line)>(StringComparer.Ordinal);
            for (var i = 0; i < map.Entries.Count; i++)
            {
                var (keyNode, value) = map.Entries[i];
                if (YamlMap.KeyText(keyNode) is not { } key)
                {
                    Problem(keyNode.Line, keyNode.Column, null, "a key under config: is a list or mapping; configuration keys are text such as psoxy:host");
                    continue;
                }

                var full = QualifiedKey(keyNode, key);
                if (full is null)
                {
                    continue;
                }

                if (firstLines.TryGetValue(full, out var first))
                {
                    if (first.Written != key)
                    {
                        Problem(keyNode.Line, keyNode.Column, full,
                            $"'{key}' sets {full} again (first as '{first.Written}' at line {first.Line}; a key without a namespace is in this project's namespace, {project}:); keep one");
                    }

                    continue;
                }

                firstLines[full] = (key, keyNode.Line);
                var name = full[(full.IndexOf(':', StringComparison.Ordinal) + 1)..];
                var ours = full.StartsWith(Ours + ":", StringComparison.Ordinal);
                var secret = ours && IsSecretName(name);

                if (value is YamlMap secure && secure.Entries.Any(e => YamlMap.KeyText(e.Key) == "secure"))
                {
                    if (secure.Entries.Count == 1 && secure.Entries[0].Value is YamlText { IsNull: false })
                    {
                        _values[full] = SecretPlaceholder;
                        _secrets.Add(full);
                    }
                    else
                    {
                        Problem(value.Line, value.Column, full,
                            $"{full}: a secure value is a mapping with the single key secure: holding the ciphertext that `pulumi config set --secret {full}` writes; set it again with that command");
                    }

                    continue;
                }

                if (ours)
                {
                    CheckNumbers(value, full, secret);
                    if (value is YamlText { IsNull: true } && i + 1 < map.Entries.Count)
                    {
                        CheckIndentationAfterEmpty(full, keyNode, map.Entries[i + 1].Key);
                    }
                }

                var containsSecret = false;
                _values[full] = value switch
                {
                    YamlText { IsNull: true } => string.Empty,
                    YamlText text => text.Value,
                    _ => JsonSerializer.Serialize(ToJsonValue(value, ref containsSecret)),
                };
                if (containsSecret)
                {
                    _secrets.Add(full);
                }
            }
        }

        /// <summary>The full key (<c>namespace:name</c>) of a key under <c>config:</c>, or null with a problem added.</summary>
        private string? QualifiedKey(YamlValue keyNode, string key)
        {
            var parts = key.Split(':');
            if (parts.Length > 2)
            {
                var path = $"{parts[0]}:{parts[1]}.{string.Join('.', parts[2..])}";
                Problem(keyNode.Line, keyNode.Column, key,
                    $"'{key}' has {parts.Length - 1} colons, but a configuration key is namespace:name (e.g. psoxy:host); to set a field of an object, nest it in YAML:\n{NestedFix(parts[0] + ":" + parts[1], parts[2..])}\nor run: pulumi config set --path '{path}' <value>");
                return null;
            }

            var (space, name) = parts.Length == 1 ? (project, key) : (parts[0], parts[1]);
            if (space.Length == 0 || name.Length == 0 || space != space.Trim() || name != name.Trim())
            {
                Problem(keyNode.Line, keyNode.Column, key,
                    $"'{key}' is not a configuration key; keys are namespace:name with nothing else around the colon, e.g. {Ours}:host");
                return null;
            }

            var full = $"{space}:{name}";
            var root = name.Split('.', '[')[0];
            if (space != Ours)
            {
                var ours = ConfigKeys.All.FirstOrDefault(k => string.Equals(k, root, StringComparison.OrdinalIgnoreCase));
                if (!ProviderNamespaces.Contains(space) && ours is not null)
                {
                    Problem(keyNode.Line, keyNode.Column, key,
                        $"'{key}' is in the namespace '{space}'{(space == project && project != Ours ? $" (this project's name, from Pulumi.yaml: name: {project}; a key without a namespace is in it)" : string.Empty)}, but Psoxy.Infra reads its settings from {Ours}:<key>: write {Ours}:{ours}{name[root.Length..]}");
                    return null;
                }

                return full;
            }

            if (name.Contains('.', StringComparison.Ordinal) || name.Contains('[', StringComparison.Ordinal))
            {
                var fields = name[root.Length..].Split('.', StringSplitOptions.RemoveEmptyEntries);
                Problem(keyNode.Line, keyNode.Column, full,
                    $"'{full}' is one key with a dot in its name (Pulumi does not read a dot in a key as nesting), so {Ours}:{root} would not get the field; nest it in YAML:\n{NestedFix($"{Ours}:{root}", fields)}\nor run: pulumi config set --path '{full}' <value>");
                return null;
            }

            return full;
        }

        /// <summary>
        /// A key with no value followed by an unknown key at the same indentation is most often an object whose
        /// fields were not indented under it.
        /// </summary>
        private void CheckIndentationAfterEmpty(string full, YamlValue keyNode, YamlValue nextKeyNode)
        {
            if (YamlMap.KeyText(nextKeyNode) is not { } next || next.Contains(':', StringComparison.Ordinal) || ConfigKeys.All.Contains(next, StringComparer.Ordinal))
            {
                return;
            }

            Problem(nextKeyNode.Line, nextKeyNode.Column, full,
                $"{full} (line {keyNode.Line}) has no value, and '{next}' below it is at the same indentation, so it is read as a separate key {project}:{next}; to make it a field of {full}, indent it and the lines of that object by two more spaces");
        }

        /// <summary>Unquoted long numbers and numbers with a leading zero: YAML reads them as numbers, not the id written.</summary>
        private void CheckNumbers(YamlValue node, string path, bool secret)
        {
            Count();
            switch (node)
            {
                case YamlText { Plain: true } text when LooksLikeId(text.Value) && !ServiceLimits.IsNumericSetting(path):
                    {
                        var what = text.Value[0] == '0'
                            ? "YAML reads it as a number, which drops the leading zero"
                            : "YAML reads it as a number, which parsers may round (as a float) or overflow";
                        Problem(text.Line, text.Column, path, secret
                            ? $"{path} is an unquoted number: {what}; quote it"
                            : $"{path} = {text.Value} is an unquoted number: {what}; an id must stay text, so quote it: \"{text.Value}\"");
                        break;
                    }

                case YamlList list:
                    for (var i = 0; i < list.Items.Count; i++)
                    {
                        CheckNumbers(list.Items[i], $"{path}[{i}]", secret);
                    }

                    break;
                case YamlMap map:
                    foreach (var (key, value) in map.Entries)
                    {
                        var name = YamlMap.KeyText(key) ?? "?";
                        CheckNumbers(value, $"{path}.{name}", secret || IsSecretName(name));
                    }

                    break;
            }
        }

        private static bool LooksLikeId(string value) =>
            value.Length >= 2 && value.All(char.IsAsciiDigit) && (value.Length >= 12 || value[0] == '0');

        private static bool IsSecretName(string name) => name is ConfigKeys.PseudonymSalt or ConfigKeys.EncryptionKey;

        /// <summary>Every duplicate key of every mapping, named by its path.</summary>
        private void CheckDuplicates(YamlValue node, string? path)
        {
            Count();
            switch (node)
            {
                case YamlList list:
                    for (var i = 0; i < list.Items.Count; i++)
                    {
                        CheckDuplicates(list.Items[i], $"{path}[{i}]");
                    }

                    break;
                case YamlMap map:
                    var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var (keyNode, value) in map.Entries)
                    {
                        var key = YamlMap.KeyText(keyNode);
                        var full = path is null or "config" ? key : $"{path}.{key}";
                        if (key is not null && !seen.TryAdd(key, keyNode.Line))
                        {
                            Problem(keyNode.Line, keyNode.Column, full,
                                $"duplicate key '{key}' at line {keyNode.Line} (first at line {seen[key]}){(path is null or "config" ? string.Empty : $" in {path}")}; a key may appear once in a mapping, so keep one");
                        }

                        CheckDuplicates(value, full);
                    }

                    break;
            }
        }

        /// <summary>A list or mapping as Pulumi passes structured values: JSON, with unquoted scalars keeping their YAML type.</summary>
        private object? ToJsonValue(YamlValue node, ref bool containsSecret)
        {
            Count();
            switch (node)
            {
                case YamlList list:
                    {
                        var items = new List<object?>(list.Items.Count);
                        foreach (var item in list.Items)
                        {
                            items.Add(ToJsonValue(item, ref containsSecret));
                        }

                        return items;
                    }

                case YamlMap map when map.Entries.Count == 1 && YamlMap.KeyText(map.Entries[0].Key) == "secure":
                    containsSecret = true;
                    return SecretPlaceholder;
                case YamlMap map:
                    {
                        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
                        foreach (var (key, value) in map.Entries)
                        {
                            var name = YamlMap.KeyText(key) ?? string.Empty;
                            if (!fields.ContainsKey(name))
                            {
                                fields[name] = ToJsonValue(value, ref containsSecret);
                            }
                        }

                        return fields;
                    }

                case YamlText { Plain: true } text:
                    return PlainScalar(text.Value);
                case YamlText text:
                    return text.Value;
                default:
                    return null;
            }
        }

        private void Count()
        {
            if (++_nodes > MaxNodes)
            {
                throw new TooManyNodesException();
            }
        }

        private void SyntaxProblems(YamlException e)
        {
            var line = (int)e.Start.Line;
            var column = (int)e.Start.Column;
            var tabs = Enumerable.Range(1, _lines.Length).Where(IsTabIndented).ToList();
            foreach (var tab in tabs)
            {
                Problem(tab, _lines[tab - 1].IndexOf('\t', StringComparison.Ordinal) + 1, null,
                    "a tab indents this line, but YAML forbids tabs for indentation; indent with spaces (two per level)");
            }

            // YamlDotNet reports tabs as errors at odd places (the line above, the mapping's start): the tabs are the news.
            if (tabs.Count > 0)
            {
                return;
            }

            var message = YamlMarks().Replace(e.Message, string.Empty).TrimEnd('.');
            var text = line >= 1 && line <= _lines.Length ? _lines[line - 1].Trim() : string.Empty;
            var hint = string.Empty;
            if (text.Contains(':', StringComparison.Ordinal) && !text.Contains(": ", StringComparison.Ordinal) && !text.EndsWith(':')
                && text[0] is not ('#' or '-' or '"' or '\'' or '[' or '{'))
            {
                hint = "; this line has no ': ' (a colon and a space) after its key: write it as key: value, e.g. psoxy:host: gcp";
            }
            else if (message.Contains("escape", StringComparison.OrdinalIgnoreCase))
            {
                hint = "; in double quotes a backslash starts an escape sequence, so write Windows paths in single quotes ('C:\\psoxy\\bundle.zip') or with forward slashes";
            }
            else if (message.Contains("expected ':'", StringComparison.Ordinal) || message.Contains("expected key", StringComparison.Ordinal)
                || message.Contains("not allowed in this context", StringComparison.Ordinal) || message.Contains("expected '-'", StringComparison.Ordinal)
                || message.Contains("expected <document start>", StringComparison.Ordinal) || message.Contains("invalid mapping", StringComparison.Ordinal))
            {
                hint = "; check this line's indentation against the lines above (keys of one mapping line up; a nested value is indented further, with spaces), that each key is followed by ': ' (a colon and a space), and quote a value that itself holds ': ' or ' #'";
            }
            else if (message.Contains("cannot start any token", StringComparison.Ordinal))
            {
                hint = "; a value starting with @, `, % or another YAML indicator must be quoted";
            }
            else if (message.Contains("quoted scalar", StringComparison.Ordinal) || message.Contains("end of the stream", StringComparison.Ordinal)
                || message.Contains("end of stream", StringComparison.Ordinal))
            {
                hint = "; a quote or bracket opened here is not closed (a value holding one kind of quote goes inside the other kind)";
            }

            Problem(line, column, null, $"YAML syntax error: {Lowercase(message)}{hint}");
        }

        private bool IsTabIndented(int line)
        {
            var text = _lines[line - 1];
            var content = text.TrimStart(' ', '\t');
            return content.Length > 0 && content[0] != '#' && text[..(text.Length - content.Length)].Contains('\t', StringComparison.Ordinal);
        }

        private static string Lowercase(string message) => message.Length > 0 && char.IsUpper(message[0]) && (message.Length == 1 || !char.IsUpper(message[1]))
            ? char.ToLowerInvariant(message[0]) + message[1..]
            : message;

        private void Problem(int? line, int? column, string? key, string text) =>
            _problems.Add(new StackFileProblem(path, line, column, key, text) { Excerpt = line is int l ? Excerpt(l, column) : null });

        /// <summary>The line as written, secret values masked, with a caret under the column.</summary>
        private string? Excerpt(int line, int? column)
        {
            if (line < 1 || line > _lines.Length)
            {
                return null;
            }

            const int MaxWidth = 160;
            var text = new string(Masked(line).Select(c => char.IsControl(c) && c != '\t' ? '\uFFFD' : c).ToArray());
            if (text.Length > MaxWidth)
            {
                text = text[..MaxWidth] + "…";
            }

            var number = line.ToString(CultureInfo.InvariantCulture);
            var gutter = new string(' ', number.Length);
            var excerpt = $"{number} | {text}";
            if (column is int c && c >= 1 && c <= Math.Min(text.Length + 1, MaxWidth))
            {
                excerpt += $"\n{gutter} | {new string(text.Take(c - 1).Select(ch => ch == '\t' ? '\t' : ' ').ToArray())}^";
            }

            return excerpt;
        }

        /// <summary>The line, with the value of a secret key (and the lines nested under one) replaced.</summary>
        private string Masked(int line)
        {
            const string Hidden = "[secret value not shown]";
            var text = _lines[line - 1];
            var match = SecretKeyOnLine().Match(text);
            if (match.Success)
            {
                var end = match.Index + match.Length;
                return text[end..].Trim().Length == 0 ? text : text[..end] + " " + Hidden;
            }

            var indent = IndentOf(text);
            for (var i = line - 2; i >= 0 && indent > 0; i--)
            {
                var above = _lines[i];
                if (above.Trim().Length == 0 || above.TrimStart().StartsWith('#'))
                {
                    continue;
                }

                var aboveIndent = IndentOf(above);
                if (aboveIndent < indent)
                {
                    if (SecretKeyOnLine().IsMatch(above))
                    {
                        return new string(' ', indent) + Hidden;
                    }

                    indent = aboveIndent;
                }
            }

            return text;
        }

        private static int IndentOf(string line) => line.Length - line.TrimStart(' ', '\t', '-').Length;

        /// <summary>How a key and its value look under <c>config:</c>, the value shown only when it is short text and not secret.</summary>
        private static string Fix(string key, YamlValue value)
        {
            var name = key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..];
            var secret = IsSecretName(name) || (value is YamlMap m && m.Entries.Any(e => YamlMap.KeyText(e.Key) == "secure"));
            var shown = value switch
            {
                _ when secret => " <value>",
                YamlText { IsNull: true } => string.Empty,
                YamlText text when text.Value.Length <= 80 && !text.Value.Contains('\n', StringComparison.Ordinal) => " " + (text.Plain ? text.Value : JsonSerializer.Serialize(text.Value)),
                YamlText => " <value>",
                _ => "\n    (its lines, indented two spaces more than under the key)",
            };
            return $"config:\n  {key}:{shown}";
        }

        private static string NestedFix(string key, IReadOnlyList<string> fields)
        {
            var text = new StringBuilder($"config:\n  {key}:");
            for (var i = 0; i < fields.Count; i++)
            {
                text.Append('\n').Append(new string(' ', 4 + (2 * i))).Append(fields[i].Trim('[', ']')).Append(':');
            }

            return text.Append(" <value>").ToString();
        }

        private static string Describe(YamlValue node) => node switch
        {
            YamlList => "a list",
            YamlMap => "a mapping",
            YamlText { IsNull: true } => "empty",
            YamlText text => $"the text '{(text.Value.Length > 40 ? text.Value[..40] + "…" : text.Value)}'",
            _ => "something else",
        };
    }

    /// <summary>Aliases expanded past <c>MaxNodes</c>; caught by the loader, never thrown out of it.</summary>
    private sealed class TooManyNodesException : Exception
    {
    }

    // Unquoted YAML scalars keep their YAML type inside structured values: numbers, booleans, null.
    private static object? PlainScalar(string? value) => value switch
    {
        null or "" or "null" or "~" => null,
        "true" => true,
        "false" => false,
        _ when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        // Beyond a long (a huge memorySize): still the number written, so its range check shows it as written.
        _ when decimal.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) => m,
        // NaN and infinities (NaN, Infinity, 1e999) have no JSON form: they stay text.
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => value,
    };
}
