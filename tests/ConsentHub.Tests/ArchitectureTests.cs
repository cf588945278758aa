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

    /// <summary>Namespace (after "ConsentHub.") to feature; sub-namespaces belong to their feature.</summary>
    private static readonly string[] Features =
        ["Api", "Chasing", "Checks", "Consent", "Forms", "PaperReturns", "Pupils", "Renewals", "Requests", "Retention", "Rollover", "Signing", "Staff", "Takedowns", "Trust", "Dashboards"];

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
    public void Core_DoesNotDependOnTheWebHost()
    {
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), a => a.Name is "ConsentHub.Web" or "ConsentHub.Migrations");
        var result = Types.InAssembly(Core)
            .ShouldNot().HaveDependencyOnAny("ConsentHub.Web", "Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Http")
            .GetResult();
        Assert.True(result.IsSuccessful, "Core types that depend on the web host or on HTTP/UI: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>The features from the bottom layer up: a feature may use those below it.</summary>
    private static readonly string[] Layers =
        ["Trust", "Staff", "Consent", "Pupils", "Checks", "Requests", "Takedowns", "Signing", "PaperReturns", "Forms", "Chasing", "Renewals", "Rollover", "Retention", "Api", "Dashboards"];

    /// <summary>
    /// Edges that still point up a layer, each of which closes the one dependency cycle left. A ratchet: a new upward
    /// edge fails the test, and an edge in this list that the code no longer has must be struck from it, so the
    /// list only shrinks. Most are entity configurations naming another feature's entity (a foreign key) and
    /// trust-wide settings kept on the trust row; see "Feature dependencies" in docs/ARCHITECTURE.md.
    /// </summary>
    private static readonly (string From, string To)[] KnownUpwardEdges =
    [
        ("Trust", "Consent"),       // Academy/trust settings name purposes and the rule settings
        ("Trust", "Chasing"),       // the reminder schedule is stored on the trust row
        ("Trust", "PaperReturns"),  // the academy logo upload sniffs files with ScanFile
        ("Trust", "Checks"),        // the every-parent setting previews its effect with the checks' reader
        ("Consent", "Pupils"),      // answers' foreign keys to pupils and contacts
        ("Consent", "Requests"),    // an answer's foreign key to its signature request
        ("Consent", "Signing"),     // an answer's foreign key to its online submission
        ("Pupils", "Checks"),       // the pupil record shows the pupil's consent
        ("Pupils", "Takedowns"),    // a new "never feature" flag creates takedown tasks
        ("Requests", "Signing"),    // issuing writes the signing link into the request email
        ("Signing", "Forms"),       // the receipt PDF
    ];

    [Fact]
    public void Features_DependOnlyOnLowerLayers_ExceptTheKnownUpwardEdges()
    {
        Assert.Equal(Features.Order(), Layers.Order());
        var graph = FeatureGraph();
        foreach (var (from, to) in graph.OrderBy(g => g.Key))
            output.WriteLine($"{from} -> {string.Join(", ", to.Order())}");

        var layer = Layers.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
        var upward = graph.SelectMany(g => g.Value.Where(to => layer[to] > layer[g.Key]).Select(to => (From: g.Key, To: to))).ToHashSet();
        var unexpected = upward.Except(KnownUpwardEdges).ToList();
        Assert.True(unexpected.Count == 0, "New upward dependencies between features (move the concept to its owner, or depend the other way): "
            + string.Join(", ", unexpected.Select(e => $"{e.From} -> {e.To}")));
        var gone = KnownUpwardEdges.Except(upward).ToList();
        Assert.True(gone.Count == 0, "These upward edges are gone: strike them from KnownUpwardEdges: " + string.Join(", ", gone.Select(e => $"{e.From} -> {e.To}")));

        // Without those edges the features form no cycle; with them, every cycle left runs through one of them.
        var rest = graph.ToDictionary(g => g.Key, g => g.Value.Where(to => !KnownUpwardEdges.Contains((g.Key, to))).ToHashSet());
        Assert.DoesNotContain(StronglyConnected(rest), c => c.Count > 1);
        // The graph is read from real code: the withdrawal's takedown tasks are a known edge, and no longer the reverse.
        Assert.Contains("Takedowns", graph["Signing"]);
        Assert.DoesNotContain("Signing", graph["Takedowns"]);
    }

    /// <summary>Feature → the features its types use (base types, members, signatures and method bodies).</summary>
    internal static Dictionary<string, HashSet<string>> FeatureGraph()
    {
        var graph = Features.ToDictionary(f => f, _ => new HashSet<string>());
        using var module = ModuleDefinition.ReadModule(Core.Location);
        foreach (var type in module.Types.SelectMany(AllTypes))
        {
            if (FeatureOf(type) is not { } from) continue;
            foreach (var used in UsedTypes(type))
            {
                if (FeatureOf(used) is { } to && to != from) graph[from].Add(to);
            }
        }
        return graph;
    }

    private static IEnumerable<TypeDefinition> AllTypes(TypeDefinition type) => type.NestedTypes.SelectMany(AllTypes).Prepend(type);

    private static string? FeatureOf(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        var ns = type.Namespace;
        if (!ns.StartsWith("ConsentHub.", StringComparison.Ordinal)) return null;
        var parts = ns.Split('.');
        // The demo trust generator is not a feature: it may use any of them.
        if (parts.Length > 2 && parts[2] == "Demo") return null;
        return Features.Contains(parts[1]) ? parts[1] : null;
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

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = 0;
        var stack = new Stack<string>();
        var indices = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();

        void Visit(string v)
        {
            indices[v] = low[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph[v])
            {
                if (indices.TryGetValue(w, out var seen))
                {
                    if (onStack.Contains(w)) low[v] = Math.Min(low[v], seen);
                }
                else
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
            }
            if (low[v] != indices[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            }
            while (x != v);
            result.Add(component);
        }

        foreach (var v in graph.Keys.Where(v => !indices.ContainsKey(v)).ToList()) Visit(v);
        return result;
    }
}
