using Xunit.Abstractions;

namespace ConsentHub.Testing.Ordering;

/// <summary>
/// Marks a test class that takes long (a browser journey, a real process, a thousand e-mails): such classes are
/// started first, so the short ones fill the gaps beside them instead of one long class running alone at the end.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LongRunningAttribute(int seconds) : Attribute
{
    /// <summary>About how long the class takes on a quiet 2-core machine; only its order among the others matters.</summary>
    public int Seconds { get; } = seconds;
}

/// <summary>
/// Orders test collections longest first (<see cref="LongRunningAttribute"/>), the rest by name after them. Only the start order changes: every test still runs, in its own collection, with the same isolation.
/// </summary>
public sealed class LongestFirstOrderer : ITestCollectionOrderer
{
    public const string TypeName = "ConsentHub.Testing.Ordering.LongestFirstOrderer";
    public const string AssemblyName = "ConsentHub.Testing";

    private const string PerClassPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        return testCollections
            .Select(collection => (collection, seconds: Seconds(collection)))
            .OrderByDescending(c => c.seconds)
            .ThenBy(c => c.collection.DisplayName, StringComparer.Ordinal)
            .Select(c => c.collection)
            .ToList();
    }

    private static int Seconds(ITestCollection collection)
    {
        var type = collection.CollectionDefinition;
        if (type is null && collection.DisplayName.StartsWith(PerClassPrefix, StringComparison.Ordinal))
            type = collection.TestAssembly.Assembly.GetType(collection.DisplayName[PerClassPrefix.Length..]);
        var attribute = type?.GetCustomAttributes(typeof(LongRunningAttribute).AssemblyQualifiedName).FirstOrDefault();
        return attribute?.GetConstructorArguments().FirstOrDefault() is int seconds ? seconds : 0;
    }
}
