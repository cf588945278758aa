using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using Mono.Cecil;
using NetArchTest.Rules;
using Xunit.Abstractions;

namespace ConsentHub.Tests;

/// <summary>
/// The shape of the core, read from its compiled code: the rule engine stays pure, the core never reaches for the
/// web host, and the features (src/ConsentHub/Features/*) depend downwards through fixed layers, apart from a listed
/// set of upward edges that may only shrink. docs/ARCHITECTURE.md shows the graph this prints.
/// </summary>
public sealed class ArchitectureTests(ITestOutputHelper output)
{
    private static readonly System.Reflection.Assembly Core = typeof(ConsentHubDbContext).Assembly;

    [Fact]
    public void RuleEngine_DependsOnNoDatabaseOrWebLibrary()
    {
        var result = Types.InAssembly(Core).That().ResideInNamespace(typeof(ConsentRules).Namespace)
            .ShouldNot().HaveDependencyOnAny("Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.AspNetCore", "Hangfire", "ConsentHub.Data", "System.Net.Http")
            .GetResult();
        Assert.True(result.IsSuccessful, "The rule engine must stay pure; these types reach out: " + string.Join(", ", result.FailingTypeNames ?? []));
        Assert.Contains(Types.InAssembly(Core).That().ResideInNamespace(typeof(ConsentRules).Namespace).GetTypes(), t => t == typeof(ConsentRules));
    }

    [Fact]
    public void RuleEngine_UsesNoOtherFeatureNorPlatformCode()
    {
        string[] elsewhere =
        [
            .. Layers.Where(f => f != "Consent").Select(f => "ConsentHub." + f),
            "ConsentHub.Access", "ConsentHub.Audit", "ConsentHub.Email", "ConsentHub.Pdf", "ConsentHub.Hosting", "ConsentHub.Files",
        ];
        var rules = typeof(ConsentRules).Namespace!;
        using var module = ModuleDefinition.ReadModule(Core.Location);
        var engine = module.Types.SelectMany(AllTypes).Where(t => Outermost(t).Namespace == rules).ToList();
        Assert.Contains(engine, t => t.Name == nameof(ConsentRules));
        var reaching = engine
            .SelectMany(t => UsedTypes(t).Select(u => Outermost(u).FullName)
                .Where(n => elsewhere.Any(e => n.StartsWith(e + ".", StringComparison.Ordinal)))
                .Select(n => $"{t.Name} uses {n}"))
            .Distinct().ToList();
        Assert.True(reaching.Count == 0, "The rule engine takes facts, not other features' types: " + string.Join(", ", reaching));
    }

    [Fact]
    public void Core_DoesNotDependOnTheWebHost()
    {
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), a => a.Name is "ConsentHub.Web" or "ConsentHub.Migrations");
        var result = Types.InAssembly(Core)
            .ShouldNot().HaveDependencyOnAny("ConsentHub.Web", "Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Http")
            .GetResult();
        Assert.True(result.IsSuccessful, "Core types that depend on the web host or on HTTP/UI: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>
    /// The features (folders under src/ConsentHub/Features, each with its own namespace after "ConsentHub.") from the
    /// bottom layer up: a feature may use those below it. Consent is the vocabulary and the pure rule engine every
    /// other feature speaks (purposes, form versions, answers, year groups, the UK calendar), so it sits at the
    /// bottom and names no other feature; the keys other tables hold to an answer are declared by those tables.
    /// </summary>
    private static readonly string[] Layers =
    [
        "Consent", "Trust", "Staff", "Pupils", "Checks", "Requests", "Takedowns", "Signing", "PaperReturns", "Forms",
        "Chasing", "Renewals", "Rollover", "Retention", "Api", "Dashboards", "Pauses", "Photos", "Monitoring",
    ];

    /// <summary>
    /// Edges allowed to point up a layer, each with its reason. A ratchet: a new upward edge fails the test, and an
    /// edge listed here that the code no longer has must be struck from it. Empty since the consolidation of issue 14
    /// (the eleven edges it removed are listed in "Feature dependencies" in docs/ARCHITECTURE.md); keep it so.
    /// </summary>
    private static readonly (string From, string To, string Reason)[] KnownUpwardEdges = [];

    [Fact]
    public void Layers_NameEveryFeatureFolder()
    {
        var folders = Directory.GetDirectories(FeaturesFolder()).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(Layers.Length, Layers.Distinct().Count());
        var missing = folders.Except(Layers).ToList();
        Assert.True(missing.Count == 0, "Feature folders missing from ArchitectureTests.Layers (place each where it belongs): " + string.Join(", ", missing));
        var stale = Layers.Except(folders).ToList();
        Assert.True(stale.Count == 0, "ArchitectureTests.Layers names features that have no folder: " + string.Join(", ", stale));
    }

    /// <summary>
    /// The graph reads a type's feature from its namespace; this keeps that honest: a file in Features/X declares
    /// ConsentHub.X (or below), and no file elsewhere declares a feature's namespace, so moving a class to another
    /// owner means giving it the owner's namespace.
    /// </summary>
    [Fact]
    public void FeatureFolders_DeclareTheirFeaturesNamespace()
    {
        var core = Path.GetDirectoryName(FeaturesFolder())!;
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(core, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            var declared = File.ReadLines(file).Where(l => l.StartsWith("namespace ", StringComparison.Ordinal))
                .Select(l => l["namespace ".Length..].TrimEnd(';', ' ', '{')).ToList();
            var folderFeature = relative.StartsWith("Features/", StringComparison.Ordinal) ? relative.Split('/')[1] : null;
            foreach (var ns in declared)
            {
                var namespaceFeature = FeatureOf(ns);
                if (folderFeature != namespaceFeature && !AllowedStrays.Contains(relative))
                    wrong.Add($"{relative} declares {ns}");
            }
        }
        Assert.True(wrong.Count == 0, "Files whose namespace names another feature than their folder: " + string.Join("; ", wrong));
    }

    /// <summary>Files outside Features/ that keep a feature's namespace, counted as part of that feature (stricter, not looser).</summary>
    private static readonly string[] AllowedStrays =
    [
        "Demo/SeedDemoStaff.cs", // the demo staff seeder, named by the browser journeys' fixtures as ConsentHub.Staff
    ];

    [Fact]
    public void Features_DependOnlyOnLowerLayers_ExceptTheKnownUpwardEdges()
    {
        var (graph, witnesses) = FeatureGraph();
        foreach (var (from, to) in graph.OrderBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"{from} -> {string.Join(", ", to.Order(StringComparer.Ordinal))}");

        var layer = Layers.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
        var known = KnownUpwardEdges.Select(e => (e.From, e.To)).ToHashSet();
        var upward = graph.SelectMany(g => g.Value.Where(to => layer[to] > layer[g.Key]).Select(to => (From: g.Key, To: to))).ToHashSet();
        var unexpected = upward.Except(known).ToList();
        Assert.True(unexpected.Count == 0, "New upward dependencies between features (move the concept to its owner, or depend the other way): "
            + string.Join("; ", unexpected.Select(e => $"{e.From} -> {e.To} ({string.Join(", ", witnesses[e].Take(5))})")));
        var gone = known.Except(upward).ToList();
        Assert.True(gone.Count == 0, "These upward edges are gone: strike them from KnownUpwardEdges: " + string.Join(", ", gone.Select(e => $"{e.From} -> {e.To}")));
        Assert.All(KnownUpwardEdges, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));

        // The graph is read from real code: the withdrawal's takedown tasks are a downward edge, and not the reverse.
        Assert.Contains("Takedowns", graph["Signing"]);
        Assert.DoesNotContain("Signing", graph["Takedowns"]);
    }

    [Fact]
    public void FeatureGraph_HasNoCycle()
    {
        var (graph, witnesses) = FeatureGraph();
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, "The features form a cycle: " + (cycle is null ? "" : string.Join(" -> ", cycle))
            + (cycle is null ? "" : " (" + string.Join("; ", cycle.Zip(cycle.Skip(1)).Select(e => $"{e.First} -> {e.Second}: {witnesses[e].First()}")) + ")"));
    }

    [Fact]
    public void FindCycle_NamesTheCycle_AndFindsNoneInALayeredGraph()
    {
        var cyclic = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A", "D"],
            ["D"] = [],
        };
        Assert.Equal(["A", "B", "C", "A"], FindCycle(cyclic));
        cyclic["C"].Remove("A");
        Assert.Null(FindCycle(cyclic));
    }

    /// <summary>A cycle by depth-first search (a back edge to a node on the current path), as the path that closes it.</summary>
    internal static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        var onPath = new HashSet<string>();

        List<string>? Visit(string node)
        {
            path.Add(node);
            onPath.Add(node);
            foreach (var next in graph[node].Order(StringComparer.Ordinal))
            {
                if (onPath.Contains(next)) return [.. path.Skip(path.IndexOf(next)), next];
                if (done.Contains(next)) continue;
                if (Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            onPath.Remove(node);
            done.Add(node);
            return null;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!done.Contains(node) && Visit(node) is { } cycle) return cycle;
        }
        return null;
    }

    /// <summary>Feature → the features its types use (base types, members, signatures and method bodies), with the types that make each edge.</summary>
    internal static (Dictionary<string, HashSet<string>> Graph, Dictionary<(string From, string To), SortedSet<string>> Witnesses) FeatureGraph()
    {
        var graph = Layers.ToDictionary(f => f, _ => new HashSet<string>());
        var witnesses = new Dictionary<(string, string), SortedSet<string>>();
        using var module = ModuleDefinition.ReadModule(Core.Location);
        foreach (var type in module.Types.SelectMany(AllTypes))
        {
            if (FeatureOf(type) is not { } from) continue;
            foreach (var used in UsedTypes(type))
            {
                if (FeatureOf(used) is not { } to || to == from) continue;
                graph[from].Add(to);
                if (!witnesses.TryGetValue((from, to), out var set)) witnesses[(from, to)] = set = new(StringComparer.Ordinal);
                set.Add($"{Outermost(type).FullName} uses {Outermost(used).FullName}");
            }
        }
        return (graph, witnesses);
    }

    private static string FeaturesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConsentHub.sln"))) return Path.Combine(dir.FullName, "src", "ConsentHub", "Features");
        }
        throw new InvalidOperationException("ConsentHub.sln not found above " + AppContext.BaseDirectory);
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    private static IEnumerable<TypeDefinition> AllTypes(TypeDefinition type) => type.NestedTypes.SelectMany(AllTypes).Prepend(type);

    private static string? FeatureOf(TypeReference type) => FeatureOf(Outermost(type).Namespace);

    /// <summary>The feature a namespace belongs to: ConsentHub.X or below, for a feature X.</summary>
    private static string? FeatureOf(string ns)
    {
        if (!ns.StartsWith("ConsentHub.", StringComparison.Ordinal)) return null;
        var parts = ns.Split('.');
        // The demo trust generator is not a feature: it may use any of them.
        if (parts.Length > 2 && parts[2] == "Demo") return null;
        return Layers.Contains(parts[1]) ? parts[1] : null;
    }

    private static List<TypeReference> UsedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null:
                    return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    foreach (var a in g.GenericArguments) Add(a);
                    return;
                case TypeSpecification s:
                    Add(s.ElementType);
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }

        Add(type.BaseType);
        foreach (var i in type.Interfaces) Add(i.InterfaceType);
        foreach (var f in type.Fields) Add(f.FieldType);
        foreach (var p in type.Properties) Add(p.PropertyType);
        foreach (var m in type.Methods)
        {
            Add(m.ReturnType);
            foreach (var p in m.Parameters) Add(p.ParameterType);
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) Add(v.VariableType);
            foreach (var instruction in m.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Add(t);
                        break;
                    case MethodReference mr:
                        Add(mr.DeclaringType);
                        Add(mr.ReturnType);
                        foreach (var p in mr.Parameters) Add(p.ParameterType);
                        if (mr is GenericInstanceMethod gm) foreach (var a in gm.GenericArguments) Add(a);
                        break;
                    case FieldReference fr:
                        Add(fr.DeclaringType);
                        Add(fr.FieldType);
                        break;
                }
            }
        }
        return found;
    }
}
