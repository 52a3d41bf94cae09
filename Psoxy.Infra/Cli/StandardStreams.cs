namespace Psoxy.Infra.Cli;

/// <summary>
/// The process's standard streams when they are closed or broken: a command never crashes or hangs on them. A write to
/// a closed output is dropped and remembered (the exit code says it); a read from a closed input fails at once.
/// </summary>
internal static class StandardStreams
{
    /// <summary>
    /// Whether standard input was closed when the program started (<c>&lt;&amp;-</c>). The .NET runtime then opens a
    /// pipe of its own whose read end lands on descriptor 0, and reading it waits forever; so on Linux, input whose
    /// pipe this process also holds the write end of was not given by the caller. Elsewhere: false.
    /// </summary>
    public static bool InputIsClosed()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            const string Descriptors = "/proc/self/fd";
            var input = new FileInfo(Path.Combine(Descriptors, "0"));
            if (input.LinkTarget is not { } target)
            {
                return !input.Exists;
            }

            return target.StartsWith("pipe:", StringComparison.Ordinal)
                && Directory.EnumerateFileSystemEntries(Descriptors)
                    .Where(entry => Path.GetFileName(entry) != "0")
                    .Any(entry => new FileInfo(entry).LinkTarget == target && IsWriteEnd(entry));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Whether a descriptor is open for writing only: its access mode (flags & O_ACCMODE) in /proc/self/fdinfo is O_WRONLY.
    private static bool IsWriteEnd(string descriptor)
    {
        try
        {
            var flags = File.ReadLines(Path.Combine("/proc/self/fdinfo", Path.GetFileName(descriptor)))
                .FirstOrDefault(line => line.StartsWith("flags:", StringComparison.Ordinal))?["flags:".Length..].Trim();
            return flags is { Length: > 0 } && flags.All(c => c is >= '0' and <= '7') && (Convert.ToInt64(flags, 8) & 3) == 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A descriptor closed meanwhile (the listing's own) holds no pipe end.
            return false;
        }
    }

    /// <summary>Standard input when it was closed: every read fails at once, saying so.</summary>
    public sealed class ClosedInput : TextReader
    {
        public const string Message = "standard input is closed";

        public override int Peek() => throw new IOException(Message);

        public override int Read() => throw new IOException(Message);
    }

    /// <summary>
    /// A standard stream that may be closed or broken (a closed descriptor, a reader gone): writes after the first
    /// failure are dropped instead of thrown, and <see cref="Failed"/> tells the caller.
    /// </summary>
    public sealed class GuardedWriter(TextWriter inner) : TextWriter
    {
        public bool Failed { get; private set; }

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value) => Guard(() => inner.Write(value));

        public override void Write(string? value) => Guard(() => inner.Write(value));

        public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

        public override void Flush() => Guard(inner.Flush);

        private void Guard(Action write)
        {
            if (Failed)
            {
                return;
            }

            try
            {
                write();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                Failed = true;
            }
        }
    }
}
