using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Requests;

namespace ConsentHub.Trust.Demo;

/// <summary>
/// A generated trust, in memory, ready for <see cref="DemoTrustLoader"/>. <see cref="Pupil.Contacts"/> and
/// <see cref="PupilContact.Contact"/> are filled in as well as the flat lists, so the rows can be read as objects.
/// </summary>
public sealed class DemoTrust
{
    public required DemoTrustProfile Profile { get; init; }
    public required DemoTrustReference Reference { get; init; }
    public required IReadOnlyList<Region> Regions { get; init; }
    public required IReadOnlyList<Academy> Academies { get; init; }
    public required IReadOnlyList<Pupil> Pupils { get; init; }
    public required IReadOnlyList<Contact> Contacts { get; init; }
    public required IReadOnlyList<PupilContact> PupilContacts { get; init; }
    public required IReadOnlyList<SafeguardingFlag> SafeguardingFlags { get; init; }
    public required IReadOnlyList<PostingPause> PostingPauses { get; init; }
    public required IReadOnlyList<SignatureRequest> SignatureRequests { get; init; }

    /// <summary>In the order they were recorded: the database numbers them in this order as it appends them.</summary>
    public required IReadOnlyList<ConsentAnswer> ConsentAnswers { get; init; }

    public DemoTrustCounts Counts => new(Regions.Count, Academies.Count, Pupils.Count, Contacts.Count, PupilContacts.Count,
        SafeguardingFlags.Count, PostingPauses.Count, SignatureRequests.Count, ConsentAnswers.Count);
}

public sealed record DemoTrustCounts(
    int Regions,
    int Academies,
    int Pupils,
    int Contacts,
    int PupilContacts,
    int SafeguardingFlags,
    int PostingPauses,
    int SignatureRequests,
    int ConsentAnswers,
    int Accounts = 0);
