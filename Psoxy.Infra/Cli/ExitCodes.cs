namespace Psoxy.Infra.Cli;

/// <summary>The exit codes of every command: the same meaning everywhere, as README documents them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (for <c>verify</c>: every checked connector works).</summary>
    public const int Success = 0;

    /// <summary>The program, or what it checked, failed: the message says what and where.</summary>
    public const int Failure = 1;

    /// <summary>Invalid input (configuration, stack file, arguments): every problem is listed, nothing was done.</summary>
    public const int InvalidInput = 2;

    /// <summary><c>plan --state --expect-no-changes</c>: the program would change the deployed stack (the plan says how).</summary>
    public const int ChangesFound = 3;
}
