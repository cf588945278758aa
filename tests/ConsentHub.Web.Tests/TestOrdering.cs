using ConsentHub.Testing.Ordering;

// Long classes start first, so short ones run beside them rather than one long class alone at the end.
[assembly: TestCollectionOrderer(LongestFirstOrderer.TypeName, LongestFirstOrderer.AssemblyName)]
