using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using Pulumi.Testing;

namespace Pulumi;

/// <summary>
/// The offline deployment: it runs a program against <see cref="IMocks"/> (unit tests and the
/// offline plan). There is no engine, so it cannot deploy, and <c>RunAsync</c> refuses to run.
/// </summary>
public sealed class Deployment
{
    private static readonly object _lock = new();
    private static Deployment? _current;
    private static DeploymentInstance? _instance;

    private readonly IMocks _mocks;
    private readonly ImmutableDictionary<string, string> _config;
    private readonly ImmutableHashSet<string> _configSecretKeys;
    private readonly object _gate = new();
    private readonly List<Task> _tasks = new();
    private readonly List<Resource> _resources = new();
    private readonly List<LogEntry> _log = new();

    private Deployment(IMocks mocks, TestOptions? options)
    {
        _mocks = mocks ?? throw new ArgumentNullException(nameof(mocks));
        IsDryRun = options?.IsPreview ?? true;
        ProjectName = options?.ProjectName ?? "project";
        StackName = options?.StackName ?? "stack";
        OrganizationName = options?.OrganizationName ?? "organization";
        RootDirectory = options?.RootDirectory ?? Directory.GetCurrentDirectory();
        _config = ParseConfig();
        _configSecretKeys = ParseConfigSecretKeys();
    }

    public static DeploymentInstance Instance
        => _instance ?? throw new InvalidOperationException("Trying to acquire Deployment.Instance before 'Run' was called.");

    internal static Deployment Current
        => _current ?? throw new InvalidOperationException("Trying to acquire Deployment.Instance before 'Run' was called.");

    internal static bool TryGetCurrent(out Deployment deployment)
    {
        deployment = _current!;
        return deployment != null;
    }

    internal bool IsDryRun { get; }

    internal string ProjectName { get; }

    internal string StackName { get; }

    internal string OrganizationName { get; }

    internal string RootDirectory { get; }

    internal Stack? Stack { get; set; }

    /// <summary>Every resource constructed in this deployment, in construction order.</summary>
    internal ImmutableArray<Resource> Resources
    {
        get
        {
            lock (_gate)
            {
                return _resources.ToImmutableArray();
            }
        }
    }

    /// <summary>Every message logged in this deployment.</summary>
    internal ImmutableArray<LogEntry> LogEntries
    {
        get
        {
            lock (_gate)
            {
                return _log.ToImmutableArray();
            }
        }
    }

    internal ImmutableArray<string> Errors
        => LogEntries.Where(e => e.Severity == LogSeverity.Error).Select(e => e.Message).ToImmutableArray();

    // ---------------------------------------------------------------- config

    private static ImmutableDictionary<string, string> ParseConfig()
    {
        var result = ImmutableDictionary.CreateBuilder<string, string>();
        var text = Environment.GetEnvironmentVariable("PULUMI_CONFIG");
        if (text != null)
        {
            using var document = JsonDocument.Parse(text);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                result[CleanKey(property.Name)] = property.Value.ToString();
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableHashSet<string> ParseConfigSecretKeys()
    {
        var result = ImmutableHashSet.CreateBuilder<string>();
        var text = Environment.GetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS");
        if (text != null)
        {
            using var document = JsonDocument.Parse(text);
            foreach (var element in document.RootElement.EnumerateArray())
            {
                result.Add(element.ToString());
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Turns the legacy key form <c>namespace:config:key</c> into <c>namespace:key</c>.</summary>
    private static string CleanKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && key[(colon + 1)..].StartsWith("config:", StringComparison.Ordinal))
        {
            return key[..colon] + ":" + key[(colon + 1 + "config:".Length)..];
        }

        return key;
    }

    internal string? GetConfig(string fullKey) => _config.TryGetValue(fullKey, out var value) ? value : null;

    internal bool IsConfigSecret(string fullKey) => _configSecretKeys.Contains(fullKey);

    // ---------------------------------------------------------------- logging and task tracking

    internal void AddLog(LogSeverity severity, string message, Resource? resource)
    {
        lock (_gate)
        {
            _log.Add(new LogEntry(severity, message, resource));
        }
    }

    /// <summary>Keeps track of work the program started, so the run waits for it and reports its failures.</summary>
    internal static void TrackTask(Task task)
    {
        if (_current is { } deployment)
        {
            lock (deployment._gate)
            {
                deployment._tasks.Add(task);
            }
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _tasks.Add(task);
        }
    }

    /// <summary>Waits until no tracked work is pending and returns the exceptions it failed with.</summary>
    private async Task<List<Exception>> WaitForIdleAsync()
    {
        var exceptions = new List<Exception>();
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var observed = 0;
        while (true)
        {
            Task[] pending;
            lock (_gate)
            {
                pending = _tasks.Skip(observed).ToArray();
                observed = _tasks.Count;
            }

            if (pending.Length == 0)
            {
                return exceptions;
            }

            try
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Collected below from each task.
            }

            foreach (var task in pending)
            {
                if (task.Exception is { } aggregate)
                {
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        if (seen.Add(inner))
                        {
                            exceptions.Add(inner);
                        }
                    }
                }
            }
        }
    }

    private void LogException(Exception exception)
    {
        switch (exception)
        {
            case RunException:
                AddLog(LogSeverity.Error, exception.Message, null);
                break;
            case ResourceException resourceException:
                AddLog(LogSeverity.Error, resourceException.HideStack ? resourceException.Message : resourceException.ToString(), resourceException.Resource);
                break;
            default:
                var location = Assembly.GetEntryAssembly()?.Location;
                AddLog(LogSeverity.Error, $"Running program '{location}' failed with an unhandled exception:\n{exception}", null);
                break;
        }
    }

    /// <summary>Creates the stack, waits for all work, and logs every failure as an error.</summary>
    private async Task RunStackAsync(Func<Stack> createStack)
    {
        // Let the caller's synchronous context go before running user code.
        await Task.Yield();
        try
        {
            var stack = createStack();
            if (stack is not TestStack)
            {
                stack.RegisterPropertyOutputs();
            }

            Track(stack.StackOutputs.DataTask);
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            LogException(e.InnerException);
        }
        catch (Exception e)
        {
            LogException(e);
        }

        foreach (var exception in await WaitForIdleAsync().ConfigureAwait(false))
        {
            LogException(exception);
        }
    }

    // ---------------------------------------------------------------- entry points

    private const string RefusalMessage =
        "This program was built against the offline Pulumi SDK (PulumiSdk=Offline). The offline SDK has no "
        + "engine and cannot deploy, preview against real state, or change any cloud resource; it only runs "
        + "unit tests and the offline plan.\n"
        + "To deploy, build with the official Pulumi packages (the default, -p:PulumiSdk=Official) and run it "
        + "through the Pulumi CLI.";

    private static Task<int> RefuseAsync()
    {
        Console.Error.WriteLine(RefusalMessage);
        return Task.FromResult(1);
    }

    public static Task<int> RunAsync(Action action) => RefuseAsync();

    public static Task<int> RunAsync(Func<IDictionary<string, object?>> func) => RefuseAsync();

    public static Task<int> RunAsync(Func<Task> func) => RefuseAsync();

    public static Task<int> RunAsync(Func<Task<IDictionary<string, object?>>> func, StackOptions? options = null) => RefuseAsync();

    public static Task<int> RunAsync<TStack>()
        where TStack : Stack, new()
        => RefuseAsync();

    public static Task<int> RunAsync<TStack>(IServiceProvider serviceProvider)
        where TStack : Stack
        => RefuseAsync();

    public static Task RequirePulumiVersionAsync(string pulumiVersionRange) => Task.CompletedTask;

    public static Task<ImmutableArray<Resource>> TestAsync<TStack>(IMocks mocks, TestOptions? options = null)
        where TStack : Stack, new()
        => TestCoreAsync(mocks, options, () => new TStack());

    public static Task<ImmutableArray<Resource>> TestWithServiceProviderAsync<TStack>(IMocks mocks, IServiceProvider serviceProvider, TestOptions? options = null)
        where TStack : Stack
    {
        ArgumentNullException.ThrowIfNull(serviceProvider);
        return TestCoreAsync(mocks, options, () => serviceProvider.GetService(typeof(TStack)) as TStack
            ?? throw new InvalidOperationException(
                $"Failed to resolve instance of type {typeof(TStack)} from service provider. Register the type with the service provider before calling {nameof(RunAsync)}."));
    }

    public static async Task<ImmutableArray<Resource>> TestAsync(IMocks testMocks, TestOptions testOptions, Action createResources)
        => (await TestFunctionAsync(testMocks, testOptions, () =>
        {
            createResources();
            return Task.FromResult<IDictionary<string, object?>>(new Dictionary<string, object?>());
        }).ConfigureAwait(false)).Resources;

    public static async Task<ImmutableArray<Resource>> TestAsync(IMocks testMocks, TestOptions testOptions, Func<Task> createResources)
        => (await TestFunctionAsync(testMocks, testOptions, async () =>
        {
            await createResources().ConfigureAwait(false);
            return new Dictionary<string, object?>();
        }).ConfigureAwait(false)).Resources;

    public static Task<(ImmutableArray<Resource> Resources, IDictionary<string, object?> Outputs)> TestAsync(
        IMocks testMocks, TestOptions testOptions, Func<IDictionary<string, object?>> createResources)
        => TestFunctionAsync(testMocks, testOptions, () => Task.FromResult(createResources()));

    public static Task<(ImmutableArray<Resource> Resources, IDictionary<string, object?> Outputs)> TestAsync(
        IMocks testMocks, TestOptions testOptions, Func<Task<IDictionary<string, object?>>> createResources)
        => TestFunctionAsync(testMocks, testOptions, createResources);

    private static async Task<(ImmutableArray<Resource> Resources, IDictionary<string, object?> Outputs)> TestFunctionAsync(
        IMocks mocks, TestOptions? options, Func<Task<IDictionary<string, object?>>> createResources)
    {
        var resources = await TestCoreAsync(mocks, options, () => new TestStack(createResources)).ConfigureAwait(false);
        IDictionary<string, object?> outputs = new Dictionary<string, object?>();
        var result = ImmutableArray.CreateBuilder<Resource>();
        foreach (var resource in resources)
        {
            if (resource is TestStack testStack)
            {
                outputs = await testStack.StackOutputs.GetValueAsync(new Dictionary<string, object?>()).ConfigureAwait(false);
                continue;
            }

            result.Add(resource);
        }

        return (result.ToImmutable(), outputs);
    }

    private static async Task<ImmutableArray<Resource>> TestCoreAsync(IMocks mocks, TestOptions? options, Func<Stack> createStack)
    {
        var deployment = new Deployment(mocks, options);
        lock (_lock)
        {
            _current = deployment;
            _instance = new DeploymentInstance(deployment);
        }

        await deployment.RunStackAsync(createStack).ConfigureAwait(false);
        var errors = deployment.Errors;
        if (errors.Length == 1)
        {
            throw new RunException(errors[0]);
        }

        if (errors.Length > 1)
        {
            throw new AggregateException(errors.Select(e => new RunException(e)));
        }

        return deployment.Resources;
    }

    // ---------------------------------------------------------------- resources

    internal void RegisterResource(
        Resource resource, bool custom, bool remote, ResourceArgs args, ResourceOptions options,
        ImmutableDictionary<string, IOutputCompletion> completions)
    {
        lock (_gate)
        {
            _resources.Add(resource);
        }

        Track(CompleteResourceAsync(resource, custom, remote, args, options, completions));
    }

    private async Task CompleteResourceAsync(
        Resource resource, bool custom, bool remote, ResourceArgs args, ResourceOptions options,
        ImmutableDictionary<string, IOutputCompletion> completions)
    {
        // The resource's constructor must finish before its outputs resolve.
        await Task.Yield();
        try
        {
            var (urn, id, state) = await RegisterResourceAsync(resource, custom, args, options).ConfigureAwait(false);
            completions[WireConstants.UrnPropertyName].SetValue(OutputData.Create<object?>(ImmutableHashSet<Resource>.Empty, urn, true, false));
            if (custom && completions.TryGetValue(WireConstants.IdPropertyName, out var idCompletion))
            {
                idCompletion.SetValue(OutputData.Create<object?>(ImmutableHashSet<Resource>.Empty, id, id.Length > 0, false));
            }

            foreach (var (name, completion) in completions)
            {
                if (name is WireConstants.UrnPropertyName or WireConstants.IdPropertyName)
                {
                    continue;
                }

                if (state.TryGetValue(name, out var value))
                {
                    completion.SetValue(WireConverter.Convert(
                        message => Log.Warn(message, resource), $"{resource.GetType().FullName}.{name}", value, completion.TargetType));
                }
            }

            _ = remote;
        }
        catch (Exception e)
        {
            foreach (var completion in completions.Values)
            {
                completion.TrySetException(e);
            }

            throw;
        }
        finally
        {
            foreach (var completion in completions.Values)
            {
                completion.TrySetDefault(isKnown: !IsDryRun);
            }
        }
    }

    private async Task<(string Urn, string Id, ImmutableDictionary<string, object?> State)> RegisterResourceAsync(
        Resource resource, bool custom, ResourceArgs args, ResourceOptions options)
    {
        var type = resource.GetResourceType();
        var name = resource.GetResourceName();

        string? parentUrn = null;
        if (options.Parent != null)
        {
            parentUrn = await options.Parent.Urn.GetValueAsync("").ConfigureAwait(false);
        }

        if (options.HasDependsOn)
        {
            var dependsOn = await options.DependsOn.ToOutput().GetValueAsync(ImmutableArray<Resource>.Empty).ConfigureAwait(false);
            foreach (var dependency in dependsOn.IsDefault ? ImmutableArray<Resource>.Empty : dependsOn)
            {
                if (dependency != null)
                {
                    await dependency.Urn.GetValueAsync("").ConfigureAwait(false);
                }
            }
        }

        var urn = NewUrn(options.Parent, parentUrn, type, name);
        if (type == WireConstants.RootStackType)
        {
            return (urn, "", ImmutableDictionary<string, object?>.Empty);
        }

        var serializer = new WireSerializer();
        var inputs = await serializer.SerializeArgsAsync($"{type}:{name}", args, keepResources: true).ConfigureAwait(false);
        var provider = custom && options.Provider != null
            ? await options.Provider.GetReferenceAsync().ConfigureAwait(false)
            : "";
        var importId = (options as CustomResourceOptions)?.ImportId ?? "";

        string? readId = null;
        if (options.Id != null)
        {
            readId = await options.Id.ToOutput().GetValueAsync("").ConfigureAwait(false);
            if (!string.IsNullOrEmpty(readId) && !custom)
            {
                throw new ArgumentException($"{nameof(ResourceOptions)}.{nameof(ResourceOptions.Id)} is only valid for a {nameof(CustomResource)}");
            }
        }

        var isRead = !string.IsNullOrEmpty(readId);
        var (id, state) = await _mocks.NewResourceAsync(new MockResourceArgs
        {
            Type = type,
            Name = name,
            Inputs = WireSerializer.ToMockDictionary(inputs),
            Provider = provider,
            Id = isRead ? readId : importId,
        }).ConfigureAwait(false);

        var serializedState = await WireSerializer.SerializeMockResultAsync(state).ConfigureAwait(false);
        return (urn, isRead ? readId! : id ?? importId, serializedState);
    }

    /// <summary>
    /// The URN of a resource: its parent's type chain (the root stack excluded) joined with
    /// <c>$</c> before its own type, as the Pulumi engine builds it.
    /// </summary>
    private string NewUrn(Resource? parent, string? parentUrn, string type, string name)
    {
        var qualifiedType = type;
        if (parent != null && parent.GetResourceType() != WireConstants.RootStackType && !string.IsNullOrEmpty(parentUrn))
        {
            var parts = parentUrn.Split("::");
            if (parts.Length >= 4)
            {
                qualifiedType = parts[2] + "$" + type;
            }
        }

        return $"urn:pulumi:{StackName}::{ProjectName}::{qualifiedType}::{name}";
    }

    internal void RegisterResourceOutputs(Resource resource, Output<IDictionary<string, object?>> outputs)
        => Track(RegisterResourceOutputsAsync(resource, outputs));

    private async Task RegisterResourceOutputsAsync(Resource resource, Output<IDictionary<string, object?>> outputs)
    {
        await Task.Yield();
        var urn = await resource.Urn.GetValueAsync("").ConfigureAwait(false);
        var data = await outputs.DataTask.ConfigureAwait(false);
        var serializer = new WireSerializer();
        var serialized = data.IsKnown && data.Value != null
            ? await serializer.SerializeAsync($"{urn} outputs", data.Value, keepResources: true).ConfigureAwait(false) as ImmutableDictionary<string, object?>
            : null;

        var builder = ImmutableDictionary.CreateBuilder<string, Output<object?>>();
        foreach (var (key, value) in serialized ?? ImmutableDictionary<string, object?>.Empty)
        {
            var (plain, isKnown, isSecret) = WireSerializer.Deserialize(value);
            builder[key] = new Output<object?>(Task.FromResult(OutputData.Create(ImmutableHashSet<Resource>.Empty, plain, isKnown, isSecret)));
        }

        await _mocks.RegisterResourceOutputs(new MockRegisterResourceOutputsRequest(urn, builder.ToImmutable())).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- invokes

    private static async Task<string> ProviderReferenceAsync(string token, InvokeOptions? options)
    {
        var provider = options?.Provider ?? options?.Parent?.GetProvider(token);
        return provider == null ? "" : await provider.GetReferenceAsync().ConfigureAwait(false);
    }

    private async Task<(ImmutableDictionary<string, object?> Result, HashSet<Resource> Dependencies)?> CallMockAsync(
        string token, InvokeArgs args, InvokeOptions? options, bool shortCircuitUnknowns)
    {
        var serializer = new WireSerializer();
        var serializedArgs = await serializer.SerializeArgsAsync($"invoke:{token}", args ?? InvokeArgs.Empty, keepResources: true).ConfigureAwait(false);

        // As the official SDK does, an invoke whose arguments hold unknowns is not called.
        if (shortCircuitUnknowns && serializedArgs.Values.Any(WireSerializer.ContainsUnknowns))
        {
            return null;
        }

        var dependencies = new HashSet<Resource>(serializer.DependentResources);
        if (options is InvokeOutputOptions outputOptions)
        {
            var dependsOn = await outputOptions.DependsOn.ToOutput().GetValueAsync(ImmutableArray<Resource>.Empty).ConfigureAwait(false);
            foreach (var dependency in dependsOn.IsDefault ? ImmutableArray<Resource>.Empty : dependsOn)
            {
                await dependency.Urn.GetValueAsync("").ConfigureAwait(false);
                dependencies.Add(dependency);
            }
        }

        var result = await _mocks.CallAsync(new MockCallArgs
        {
            Token = token,
            Args = WireSerializer.ToMockDictionary(serializedArgs),
            Provider = await ProviderReferenceAsync(token, options).ConfigureAwait(false),
        }).ConfigureAwait(false);

        return (await WireSerializer.SerializeMockResultAsync(result).ConfigureAwait(false), dependencies);
    }

    internal async Task<OutputData<T>> RawInvokeAsync<T>(string token, InvokeArgs args, InvokeOptions? options)
    {
        var response = await CallMockAsync(token, args, options, shortCircuitUnknowns: true).ConfigureAwait(false);
        if (response is not { } r)
        {
            return OutputData.Create(ImmutableHashSet<Resource>.Empty, default(T)!, false, false);
        }

        var data = WireConverter.Convert(message => Log.Warn(message), $"{token} result", r.Result, typeof(T));
        return OutputData.Create(r.Dependencies.ToImmutableHashSet(), data.Value is null ? default! : (T)data.Value, data.IsKnown, data.IsSecret);
    }

    internal async Task<T> InvokeAsync<T>(string token, InvokeArgs args, InvokeOptions? options)
    {
        var response = await CallMockAsync(token, args, options, shortCircuitUnknowns: false).ConfigureAwait(false);
        var data = WireConverter.Convert(message => Log.Warn(message), $"{token} result", response!.Value.Result, typeof(T));
        return data.Value is null ? default! : (T)data.Value;
    }
}

/// <summary>The running deployment, as the program sees it.</summary>
public sealed class DeploymentInstance
{
    private readonly Deployment _deployment;

    internal DeploymentInstance(Deployment deployment)
    {
        _deployment = deployment;
    }

    public string StackName => _deployment.StackName;

    public string ProjectName => _deployment.ProjectName;

    public string OrganizationName => _deployment.OrganizationName;

    public string RootDirectory => _deployment.RootDirectory;

    public bool IsDryRun => _deployment.IsDryRun;

    public Output<T> Invoke<T>(string token, InvokeArgs args, InvokeOptions? options = null)
        => new(_deployment.RawInvokeAsync<T>(token, args, options));

    public Output<T> Invoke<T>(string token, InvokeArgs args, InvokeOutputOptions options)
        => new(_deployment.RawInvokeAsync<T>(token, args, options));

    public Output<T> InvokeSingle<T>(string token, InvokeArgs args, InvokeOptions? options = null)
        => Invoke<ImmutableDictionary<string, T>>(token, args, options).Apply(d => d.Values.First());

    public Output<T> InvokeSingle<T>(string token, InvokeArgs args, InvokeOutputOptions options)
        => Invoke<ImmutableDictionary<string, T>>(token, args, options).Apply(d => d.Values.First());

    public Task<T> InvokeAsync<T>(string token, InvokeArgs args, InvokeOptions? options = null)
        => _deployment.InvokeAsync<T>(token, args, options);

    public Task InvokeAsync(string token, InvokeArgs args, InvokeOptions? options = null)
        => _deployment.InvokeAsync<object>(token, args, options);

    public async Task<T> InvokeSingleAsync<T>(string token, InvokeArgs args, InvokeOptions? options = null)
        => (await _deployment.InvokeAsync<ImmutableDictionary<string, T>>(token, args, options).ConfigureAwait(false)).Values.First();
}
