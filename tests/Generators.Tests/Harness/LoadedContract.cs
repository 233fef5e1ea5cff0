using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;

namespace Sources.Generators.Tests.Harness;

/// <summary>The generated entry point, bound as a delegate: a span cannot go through MethodInfo.Invoke.</summary>
internal delegate object ParseUtf8(ReadOnlySpan<byte> utf8);

/// <summary>What the generated <c>CreateSourceRequest.Parse</c> returned, read back through reflection.</summary>
internal sealed record ParseOutcome(bool IsValid, object? Value, IReadOnlyList<(string Pointer, string Code)> Errors)
{
    public object? Property(string name) => LoadedContract.Get(Value!, name);
}

/// <summary>
/// A spec's generated code compiled to IL in memory and loaded into a collectible context of
/// its own, so two versions of the same contract can be used side by side.
/// </summary>
internal sealed class LoadedContract : IDisposable
{
    private const string Namespace = "Sources.Contracts";
    private readonly AssemblyLoadContext _context;
    private readonly Assembly _assembly;
    private readonly ParseUtf8 _parse;

    private LoadedContract(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        _assembly = assembly;
        _parse = Type("CreateSourceRequest").GetMethod("Parse", [typeof(ReadOnlySpan<byte>)])!.CreateDelegate<ParseUtf8>();
    }

    public static LoadedContract Compile(string specText, string assemblyName)
    {
        var run = GeneratorHarness.Run(specText, Specs.RealPath, assemblyName);
        Assert.Empty(run.GeneratorDiagnostics);
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success && emitted.Diagnostics.IsEmpty, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext(assemblyName, isCollectible: true);
        return new LoadedContract(context, context.LoadFromStream(image));
    }

    public Type Type(string name) => _assembly.GetType($"{Namespace}.{name}", throwOnError: true)!;

    public ParseOutcome Parse(string json)
    {
        var result = _parse(Encoding.UTF8.GetBytes(json));
        var errors = ((IEnumerable)Get(result, "Errors")!).Cast<object>()
            .Select(e => ((string)Get(e, "Pointer")!, (string)Get(e, "Code")!))
            .ToList();
        return new ParseOutcome((bool)Get(result, "IsValid")!, Get(result, "Value"), errors);
    }

    internal static object? Get(object target, string property) =>
        (target.GetType().GetProperty(property) ?? throw new MissingMemberException(target.GetType().Name, property)).GetValue(target);

    public void Dispose() => _context.Unload();
}
