namespace ConsentHub.Benchmarks.Baseline;

/// <summary>The small JSON body <c>GET /raw/{id}</c> answers with.</summary>
public sealed record RawPupil(int Id, string GivenName, string FamilyName, string YearGroup, string Form);
