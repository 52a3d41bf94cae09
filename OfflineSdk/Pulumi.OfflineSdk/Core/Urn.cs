namespace Pulumi;

/// <summary>A Pulumi URN: <c>urn:pulumi:stack::project::parent-types$type::name</c>.</summary>
public readonly struct Urn : IEquatable<Urn>
{
    private readonly string _value;

    public Urn(string value)
    {
        _value = value ?? throw new ArgumentNullException(nameof(value));
    }

    public override string ToString() => _value ?? "";

    public bool Equals(Urn other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Urn other && Equals(other);

    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    public static bool operator ==(Urn left, Urn right) => left.Equals(right);

    public static bool operator !=(Urn left, Urn right) => !left.Equals(right);

    public static implicit operator string(Urn value) => value.ToString();

    /// <summary>
    /// Computes the URN a resource with this name and type gets: under <paramref name="parent"/> or
    /// <paramref name="parentUrn"/> when given, else at the top of the stack.
    /// </summary>
    public static Output<string> Create(
        Input<string> name, Input<string> type, Resource? parent = null, Input<string>? parentUrn = null,
        Input<string>? project = null, Input<string>? stack = null)
    {
        if (parent != null && parentUrn != null)
        {
            throw new ArgumentException("Only one of 'parent' and 'parentUrn' can be given.");
        }

        Output<string> prefix;
        if (parent != null || parentUrn != null)
        {
            var parentOutput = parent != null ? parent.Urn : parentUrn!.ToOutput();
            prefix = parentOutput.Apply(p => p[..p.LastIndexOf("::", StringComparison.Ordinal)] + "$");
        }
        else
        {
            var instance = Deployment.Instance;
            var stackName = stack?.ToOutput() ?? Output.Create(instance.StackName);
            var projectName = project?.ToOutput() ?? Output.Create(instance.ProjectName);
            prefix = Output.Format($"urn:pulumi:{stackName}::{projectName}::");
        }

        return Output.Format($"{prefix}{type.ToOutput()}::{name.ToOutput()}");
    }
}
