namespace Pulumi;

/// <summary>An error whose message is meant for the user, reported without a stack trace.</summary>
public class RunException : Exception
{
    public RunException(string message) : base(message)
    {
    }

    public RunException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    public static RunException OutputsHaveIncorrectType(IEnumerable<string> outputAttributeNames)
        => new($"Output(s) '{string.Join(", ", outputAttributeNames)}' have an incorrect type: [Output] properties must be of type Output<T>.");
}

/// <summary>An error attributed to a resource.</summary>
public class ResourceException : Exception
{
    public ResourceException(string message, Resource? resource, bool hideStack = false) : base(message)
    {
        Resource = resource;
        HideStack = hideStack;
    }

    internal Resource? Resource { get; }

    internal bool HideStack { get; }
}

/// <summary>An error raised while sending a log message.</summary>
public class LogException : Exception
{
    public LogException(Exception exception) : base("Error occurred during logging", exception)
    {
    }
}

/// <summary>A configuration value that does not parse as the requested type.</summary>
internal sealed class ConfigTypeException : RunException
{
    public ConfigTypeException(string key, object? value, string expectedType, Exception? innerException = null)
        : base($"Configuration '{key}' value '{value}' is not a valid {expectedType}", innerException)
    {
    }
}

/// <summary>A required configuration value that is not set.</summary>
internal sealed class ConfigMissingException : RunException
{
    public ConfigMissingException(string key)
        : base($"Missing Required configuration variable '{key}'\n\tplease set a value using the command `pulumi config set {key} <value>`")
    {
    }
}
