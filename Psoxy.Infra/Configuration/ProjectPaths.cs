namespace Psoxy.Infra.Configuration;

/// <summary>
/// Where the Pulumi project and its stack files are. Local paths in the stack configuration (such as a deployment
/// bundle) are relative to the project: the directory holding Pulumi.yaml. <c>pulumi up</c> runs the program from its
/// <c>main</c> folder and the offline plan from wherever it is started, so the project is found by walking up from the
/// working directory.
/// </summary>
internal static class ProjectPaths
{
    public const string ProjectFileName = "Pulumi.yaml";

    /// <summary>The Pulumi.yaml at or above <paramref name="startDirectory"/> (default: the working directory); null if there is none.</summary>
    public static string? ProjectFile(string? startDirectory = null)
    {
        for (var directory = new DirectoryInfo(startDirectory ?? Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, ProjectFileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The project's name: <c>name:</c> in the Pulumi.yaml at or above the working directory, as the Pulumi CLI reads
    /// it for URNs and for keys written without a namespace; <see cref="ConfigKeys.Namespace"/> when there is no
    /// project file or it names none.
    /// </summary>
    public static string ProjectName() => ProjectFile() is { } projectFile ? ProjectNameIn(projectFile) ?? ConfigKeys.Namespace : ConfigKeys.Namespace;

    /// <summary>The <c>name:</c> of a Pulumi.yaml; null when it cannot be read or has none.</summary>
    public static string? ProjectNameIn(string projectFile)
    {
        try
        {
            var yaml = new YamlDotNet.RepresentationModel.YamlStream();
            using (var reader = new StreamReader(projectFile))
            {
                yaml.Load(reader);
            }

            return yaml.Documents is [{ RootNode: YamlDotNet.RepresentationModel.YamlMappingNode root }, ..]
                && root.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("name"), out var name)
                && name is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { Length: > 0 } text }
                ? text.Trim()
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    /// <summary>The directory holding Pulumi.yaml, at or above the working directory; the working directory if none.</summary>
    public static string ProjectDirectory() =>
        ProjectFile() is { } projectFile ? Path.GetDirectoryName(projectFile)! : Directory.GetCurrentDirectory();

    /// <summary>An absolute path for <paramref name="path"/>, resolving relative paths against the project directory.</summary>
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(ProjectDirectory(), path));

    /// <summary>The folder of stack files of further environments, beside Pulumi.yaml.</summary>
    public const string StacksFolder = "stacks";

    /// <summary>The stack file of <paramref name="stackName"/> (<c>Pulumi.NAME.yaml</c>) in <paramref name="projectDirectory"/> or its stacks folder; null if neither has it.</summary>
    public static string? FindStackFile(string projectDirectory, string stackName)
    {
        var fileName = $"Pulumi.{stackName}.yaml";
        return new[] { Path.Combine(projectDirectory, fileName), Path.Combine(projectDirectory, StacksFolder, fileName) }.FirstOrDefault(File.Exists);
    }

    /// <summary>Every stack file of the project (Pulumi.*.yaml beside Pulumi.yaml and in stacks/), relative with '/', sorted.</summary>
    public static IReadOnlyList<string> StackFiles(string projectDirectory) =>
        new[] { projectDirectory, Path.Combine(projectDirectory, StacksFolder) }.Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "Pulumi.*.yaml"))
            .Select(f => Path.GetRelativePath(projectDirectory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The stack name of a stack file: NAME for <c>Pulumi.NAME.yaml</c>, else the file name without extension.</summary>
    public static string StackNameOf(string stackFile) =>
        StackNameInFileName(stackFile) ?? Path.GetFileNameWithoutExtension(stackFile);

    /// <summary>NAME for a file named <c>Pulumi.NAME.yaml</c>; null for any other name.</summary>
    public static string? StackNameInFileName(string stackFile)
    {
        var name = Path.GetFileName(stackFile);
        return name.StartsWith("Pulumi.", StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal) && name.Length > "Pulumi..yaml".Length
            ? name["Pulumi.".Length..^".yaml".Length]
            : null;
    }
}
