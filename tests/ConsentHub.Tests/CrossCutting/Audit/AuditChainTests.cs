using System.Security.Cryptography;
using System.Text;
using ConsentHub.Audit;

namespace ConsentHub.Tests.Audit;

/// <summary>The canonical payload and the hash: what every writer and the verifier agree on.</summary>
public sealed class AuditChainTests
{
    private static readonly Guid Chain = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Pupil = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 9, 1, 9, 30, 15, TimeSpan.FromHours(1)).AddTicks(1_234_567);

    private static AuditEvent Event(IReadOnlyDictionary<string, object?>? data) =>
        new(Chain, "Zoë Head", "consent.checked", "Pupil", "p-1", Pupil, data);

    [Fact]
    public void CanonicalPayload_HasSortedKeysAtEveryLevel_NoWhitespace_UtcMicroseconds_AndAsciiOnly()
    {
        var data = new Dictionary<string, object?>
        {
            ["purpose"] = "website",
            ["allowed"] = true,
            ["meta"] = new Dictionary<string, object?> { ["zeta"] = 1, ["Alpha"] = null, ["beta"] = new object[] { 2, "x" } },
        };

        var payload = AuditChain.CanonicalPayload(Chain, 7, At, Event(data));

        const string expected =
            """{"action":"consent.checked","actor":"Zo\u00EB Head","at":"2026-09-01T08:30:15.123456Z","chain":"11111111-1111-1111-1111-111111111111","data":{"allowed":true,"meta":{"Alpha":null,"beta":[2,"x"],"zeta":1},"purpose":"website"},"entityId":"p-1","entityType":"Pupil","pupilId":"22222222-2222-2222-2222-222222222222","seq":7,"v":1}""";
        Assert.Equal(expected, payload);
    }

    [Fact]
    public void CanonicalPayload_DoesNotDependOnTheOrderDataWasAddedIn()
    {
        var one = new Dictionary<string, object?> { ["b"] = 2, ["a"] = new Dictionary<string, string> { ["y"] = "1", ["x"] = "2" } };
        var other = new Dictionary<string, object?> { ["a"] = new SortedDictionary<string, string> { ["x"] = "2", ["y"] = "1" }, ["b"] = 2 };

        Assert.Equal(AuditChain.CanonicalPayload(Chain, 1, At, Event(one)), AuditChain.CanonicalPayload(Chain, 1, At, Event(other)));
    }

    [Fact]
    public void CanonicalPayload_WithNoData_HasAnEmptyObjectAndNulls()
    {
        var payload = AuditChain.CanonicalPayload(AuditChain.Trust, 1, At, new AuditEvent(null, "system", "retention.ran"));

        Assert.Contains("\"data\":{}", payload, StringComparison.Ordinal);
        Assert.Contains("\"entityId\":null,\"entityType\":null,\"pupilId\":null", payload, StringComparison.Ordinal);
        Assert.Contains("\"chain\":\"00000000-0000-0000-0000-000000000000\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalise_CutsToWholeMicrosecondsInUtc()
    {
        var normalised = AuditChain.Normalise(At);

        Assert.Equal(TimeSpan.Zero, normalised.Offset);
        Assert.Equal(0, normalised.UtcTicks % 10);
        Assert.Equal(At.UtcTicks - 7, normalised.UtcTicks);
        Assert.Equal("2026-09-01T08:30:15.123456Z", AuditChain.FormatTime(At));
    }

    [Fact]
    public void ComputeHash_IsSha256OfThePreviousHashThenThePayloadBytes()
    {
        var previous = RandomNumberGenerator.GetBytes(32);
        const string payload = """{"a":1}""";

        var expected = SHA256.HashData([.. previous, .. Encoding.UTF8.GetBytes(payload)]);

        Assert.Equal(expected, AuditChain.ComputeHash(previous, payload));
        Assert.Equal(new byte[32], AuditChain.GenesisHash());
    }

    // A local time, an arbitrary object, NaN, non-string keys, an arbitrary object nested inside a dictionary.
    public static TheoryData<object> UnstorableData => new()
    {
        new DateTime(2026, 9, 1, 8, 0, 0, DateTimeKind.Local),
        new object(),
        double.NaN,
        new Dictionary<int, string> { [1] = "x" },
        new Dictionary<string, object?> { ["inner"] = new Uri("https://example.org") },
    };

    [Theory]
    [MemberData(nameof(UnstorableData))]
    public void Validate_RejectsDataThatHasNoCanonicalForm(object value)
    {
        var e = Event(new Dictionary<string, object?> { ["value"] = value });

        Assert.Throws<ArgumentException>(() => AuditChain.Validate(e));
        Assert.Throws<ArgumentException>(() => AuditChain.CanonicalPayload(Chain, 1, At, e));
    }

    [Fact]
    public void Validate_RejectsColumnsTheTableCannotHold()
    {
        Assert.Throws<ArgumentException>(() => AuditChain.Validate(new AuditEvent(null, "", "x")));
        Assert.Throws<ArgumentException>(() => AuditChain.Validate(new AuditEvent(null, new string('a', 201), "x")));
        Assert.Throws<ArgumentException>(() => AuditChain.Validate(new AuditEvent(null, "a", new string('x', 61))));
        Assert.Throws<ArgumentException>(() => AuditChain.Validate(new AuditEvent(null, "a\0b", "x")));
        Assert.Throws<ArgumentException>(() => AuditChain.Validate(new AuditEvent(null, "a", "x", EntityId: new string('1', 81))));
    }

    [Fact]
    public void Validate_AcceptsTheKindsOfDataThatHaveACanonicalForm()
    {
        var data = new Dictionary<string, object?>
        {
            ["text"] = "x",
            ["flag"] = false,
            ["count"] = 3L,
            ["amount"] = 1.5m,
            ["ratio"] = 0.25,
            ["id"] = Guid.NewGuid(),
            ["when"] = DateTimeOffset.UtcNow,
            ["utc"] = DateTime.UtcNow,
            ["day"] = new DateOnly(2026, 9, 1),
            ["kind"] = DayOfWeek.Monday,
            ["list"] = new List<int> { 1, 2 },
            ["nothing"] = null,
            ["nested"] = new Dictionary<string, object?> { ["deeper"] = new Dictionary<string, int> { ["n"] = 1 } },
        };

        AuditChain.Validate(Event(data));
        Assert.StartsWith("{", AuditChain.CanonicalPayload(Chain, 1, At, Event(data)), StringComparison.Ordinal);
    }
}
