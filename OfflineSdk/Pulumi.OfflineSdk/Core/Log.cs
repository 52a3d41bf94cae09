namespace Pulumi;

/// <summary>Diagnostics of the program, reported to the engine (here: collected by the offline deployment).</summary>
public static class Log
{
    public static void Debug(string message, Resource? resource = null, int? streamId = null, bool? ephemeral = null)
        => Write(LogSeverity.Debug, message, resource);

    public static void Info(string message, Resource? resource = null, int? streamId = null, bool? ephemeral = null)
        => Write(LogSeverity.Info, message, resource);

    public static void Warn(string message, Resource? resource = null, int? streamId = null, bool? ephemeral = null)
        => Write(LogSeverity.Warning, message, resource);

    public static void Error(string message, Resource? resource = null, int? streamId = null, bool? ephemeral = null)
        => Write(LogSeverity.Error, message, resource);

    public static void Exception(Exception exception, Resource? resource = null, int? streamId = null, bool? ephemeral = null)
        => Error(exception.ToString(), resource, streamId, ephemeral);

    private static void Write(LogSeverity severity, string message, Resource? resource)
    {
        if (Deployment.TryGetCurrent(out var deployment))
        {
            deployment.AddLog(severity, message, resource);
        }
        else if (severity >= LogSeverity.Warning)
        {
            Console.Error.WriteLine($"{severity.ToString().ToLowerInvariant()}: {message}");
        }
    }
}

internal enum LogSeverity
{
    Debug,
    Info,
    Warning,
    Error,
}

/// <summary>One message logged during a deployment.</summary>
internal sealed class LogEntry
{
    public LogEntry(LogSeverity severity, string message, Resource? resource)
    {
        Severity = severity;
        Message = message;
        Resource = resource;
    }

    public LogSeverity Severity { get; }

    public string Message { get; }

    public Resource? Resource { get; }
}
