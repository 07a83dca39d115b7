using Xunit.Abstractions;
using Xunit.Sdk;

namespace Backstroke.Tests.Support;

/// <summary>
/// A test that takes seconds rather than milliseconds: it drives a browser, starts a real process, publishes the image,
/// runs the benchmark or crashes an app on purpose. The fast loop leaves these out:
/// <c>dotnet test --filter "Category!=Slow"</c>. The reason is a trait too (<c>Slow=browser</c>), to run one kind alone.
/// </summary>
[TraitDiscoverer("Backstroke.Tests.Support.SlowTraitDiscoverer", "Backstroke.Tests")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class SlowAttribute(string reason) : Attribute, ITraitAttribute
{
    public const string Browser = "browser";
    public const string RealProcess = "real-process";
    public const string Image = "image";
    public const string Benchmark = "benchmark";
    public const string Crash = "crash";

    public string Reason { get; } = reason;
}

public sealed class SlowTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new("Category", "Slow");
        yield return new("Slow", traitAttribute.GetConstructorArguments().FirstOrDefault() as string ?? "");
    }
}
