using ConsentHub.Checks;

namespace ConsentHub.Tests.Checks;

/// <summary>What the triggers announce on consent_changed, as an open check reads it.</summary>
public sealed class ConsentChangeTests
{
    private static readonly Guid Academy = Guid.Parse("019fa304-5d05-7cc4-b479-b225221a879e");
    private static readonly Guid Pupil1 = Guid.Parse("019fa304-5d05-7cc4-b479-000000000001");
    private static readonly Guid Pupil2 = Guid.Parse("019fa304-5d05-7cc4-b479-000000000002");

    [Fact]
    public void SomePupils_AffectAViewShowingOneOfThem_OnlyInTheirAcademy()
    {
        var change = ConsentChange.Parse($"p:{Academy}:{Pupil1},{Pupil2}")!;

        Assert.Equal(Academy, change.AcademyId);
        Assert.True(change.Affects(Academy, [Pupil2]));
        Assert.False(change.Affects(Academy, [Guid.NewGuid()]));
        Assert.False(change.Affects(Guid.NewGuid(), [Pupil1]));
    }

    [Fact]
    public void AWholeAcademy_AffectsEveryViewOfIt()
    {
        var change = ConsentChange.Parse($"a:{Academy}")!;

        Assert.Null(change.PupilIds);
        Assert.True(change.Affects(Academy, [Guid.NewGuid()]));
        Assert.False(change.Affects(Guid.NewGuid(), [Guid.NewGuid()]));
    }

    [Fact]
    public void APostingPause_AffectsEveryView()
    {
        Assert.Same(ConsentChange.Everything, ConsentChange.Parse("pauses"));
        Assert.True(ConsentChange.Everything.Affects(Guid.NewGuid(), [Guid.NewGuid()]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("p:not-a-guid:x")]
    [InlineData("p:019fa304-5d05-7cc4-b479-b225221a879e:nonsense")]
    [InlineData("a:")]
    [InlineData("something-new")]
    public void AnUnknownPayload_IsIgnored(string payload) => Assert.Null(ConsentChange.Parse(payload));
}
