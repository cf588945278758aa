using System.Globalization;
using ConsentHub.Consent;
using ConsentHub.Consent.Rules;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using static ConsentHub.Trust.Demo.DemoNames;

namespace ConsentHub.Trust.Demo;

/// <summary>
/// Builds a believable trust in memory: academies of each phase, pupils in the year groups they teach, families
/// whose contacts siblings share, and requests and answers that between them produce every consent status. Every
/// choice comes from one <see cref="Random"/> seeded by the profile, and nothing reads the clock, so the same
/// profile always gives the same rows (ids included).
/// </summary>
public static class DemoTrustGenerator
{
    public static DemoTrust Generate(DemoTrustProfile profile, DemoTrustReference reference)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(reference);
        if (profile.Academies < FirstAcademies.Length)
            throw new ArgumentException($"A demo trust has at least {FirstAcademies.Length} academies: the first six cover every kind the policy treats differently.", nameof(profile));
        if (profile.Regions < 1 || profile.Regions > profile.Academies)
            throw new ArgumentException("Regions must be between 1 and the number of academies.", nameof(profile));
        if (profile.Pupils < profile.Academies * 10)
            throw new ArgumentException("Give each academy at least ten pupils.", nameof(profile));
        if (profile.ContactsTarget < 1 || profile.SafeguardingFlags < 0 || profile.FlaggedSixthFormers < 0 || profile.EndedPostingPauses < 0)
            throw new ArgumentException("Counts cannot be negative, and a trust needs contacts.", nameof(profile));
        if (reference.Purposes.Count == 0)
            throw new ArgumentException("Seed the purposes first: answers need something to be about.", nameof(reference));
        return new Run(profile, reference).Generate();
    }

    /// <summary>A kind of academy: its phase, the year groups it teaches and how big it is against the others.</summary>
    private sealed record Plan(AcademyPhase Phase, int Lowest, int Highest, double Scale);

    /// <summary>The demo's six academies, and the start of every larger trust.</summary>
    private static readonly Plan[] FirstAcademies =
    [
        new(AcademyPhase.Primary, -2, 6, 1.0),
        new(AcademyPhase.Primary, -2, 6, 1.0),
        new(AcademyPhase.Secondary, 7, 11, 1.0),
        new(AcademyPhase.Secondary, 7, 11, 1.0),
        new(AcademyPhase.Secondary, 7, 13, 1.0),
        new(AcademyPhase.AllThrough, -2, 13, 1.0),
    ];

    /// <summary>Beyond six, a mix like a real trust's: mostly primaries of varied size, some special provision.</summary>
    private static readonly Plan[] FurtherAcademies =
    [
        new(AcademyPhase.Primary, 0, 6, 0.8),
        new(AcademyPhase.Primary, -2, 6, 1.3),
        new(AcademyPhase.Secondary, 7, 11, 0.9),
        new(AcademyPhase.Primary, 0, 6, 0.6),
        new(AcademyPhase.Secondary, 7, 13, 1.1),
        new(AcademyPhase.Primary, -1, 6, 1.0),
        new(AcademyPhase.Special, 0, 13, 0.2),
        new(AcademyPhase.Primary, 0, 6, 1.0),
        new(AcademyPhase.AllThrough, -2, 13, 0.9),
        new(AcademyPhase.Primary, -2, 6, 0.7),
        new(AcademyPhase.AlternativeProvision, 7, 11, 0.12),
        new(AcademyPhase.Secondary, 7, 13, 1.0),
    ];

    /// <summary>Relative size of a year group: nursery places are fewer, secondary intakes several primaries wide.</summary>
    private static double YearWeight(int year) => year switch
    {
        -2 => 0.45,
        -1 => 0.8,
        <= 6 => 1.0,
        <= 11 => 2.0,
        _ => 1.1,
    };

    private static readonly string[] FlagReasons =
    [
        "Parent asked in writing to be consulted about any publicity (letter on file).",
        "EHCP review agreed that a parent is involved in decisions about publicity.",
        "Pupil asked staff to include their parent in the decision.",
        "Pupil is not yet 18 and the DSL advised that a parent is asked as well for now.",
    ];

    private static readonly string[] SafeguardingReasons =
    [
        "Court order: the pupil's whereabouts must not be made public (demo data).",
        "Advice from the local authority: do not publish any image of this pupil (demo data).",
    ];

    private static readonly string[] PauseReasons =
    [
        "Serious incident near the academy: no posting while it is in the local news.",
        "Bereavement in the academy community: posting paused for a week.",
        "Regional inspection week: posting paused while communications are reviewed.",
    ];

    private static readonly string[] OfficeStaff = ["Mrs K. Patel", "Mr D. Hughes", "Ms A. Nowak", "Mrs J. Okafor", "Miss L. Evans", "Mr S. Ahmed"];

    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 15; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15",
    ];

    /// <summary>The people who look after a pupil, shared by siblings.</summary>
    private sealed class Family
    {
        public required Heritage Heritage { get; init; }
        public required string Surname { get; init; }
        public List<(Contact Contact, string Relationship, bool ParentalResponsibility, bool NoContactOrder)> Links { get; } = [];

        /// <summary>Purposes (by index) this family says no to; siblings answer alike.</summary>
        public required bool[] Refuses { get; init; }

        public int Children { get; set; }
    }

    private sealed class Run
    {
        private readonly DemoTrustProfile _profile;
        private readonly DemoTrustReference _reference;
        private readonly Random _rng;
        private readonly DateTimeOffset _asOf;
        private readonly DateOnly _today;
        private readonly int _academicYear;
        private readonly DateOnly _yearStart;
        private readonly long _idBaseMs;
        private long _idCounter;
        private int _scanCounter;

        private readonly List<Region> _regions = [];
        private readonly List<Academy> _academies = [];
        private readonly List<Pupil> _pupils = [];
        private readonly List<Contact> _contacts = [];
        private readonly List<PupilContact> _pupilContacts = [];
        private readonly List<SafeguardingFlag> _safeguarding = [];
        private readonly List<PostingPause> _pauses = [];
        private readonly List<SignatureRequest> _requests = [];
        private readonly List<ConsentAnswer> _answers = [];
        private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
        private readonly Dictionary<Guid, Family> _familyOf = [];
        private readonly Dictionary<Guid, Academy> _academyById = [];
        private readonly Dictionary<(Guid Academy, int Year, bool Summer), DateTimeOffset> _issueTimes = [];

        public Run(DemoTrustProfile profile, DemoTrustReference reference)
        {
            _profile = profile;
            _reference = reference;
            _rng = new Random(profile.Seed);
            _asOf = WholeSeconds(profile.AsOf.ToUniversalTime());
            _today = UkCalendar.DateOf(_asOf);
            _academicYear = _today.Month >= 9 ? _today.Year : _today.Year - 1;
            _yearStart = new DateOnly(_academicYear, 9, 1);
            _idBaseMs = _asOf.AddDays(-120).ToUnixTimeMilliseconds();
        }

        public DemoTrust Generate()
        {
            var regions = CreateRegions();
            var plans = CreateAcademies(regions);
            CreatePupils(plans);
            FlagSixthFormers();
            FlagSafeguarding();
            CreatePauses();
            foreach (var pupil in _pupils)
                RequestAndAnswer(pupil);

            // Appended in the order they were recorded, so the database's append order follows time as it would live.
            var answers = _answers.Select((a, i) => (a, i)).OrderBy(x => x.a.RecordedAt).ThenBy(x => x.i).Select(x => x.a).ToList();
            return new DemoTrust
            {
                Profile = _profile,
                Reference = _reference,
                Regions = _regions,
                Academies = _academies,
                Pupils = _pupils,
                Contacts = _contacts,
                PupilContacts = _pupilContacts,
                SafeguardingFlags = _safeguarding,
                PostingPauses = _pauses,
                SignatureRequests = _requests,
                ConsentAnswers = answers,
            };
        }

        // ---- Trust structure -------------------------------------------------------------------------------

        private List<List<Family>> CreateRegions()
        {
            var families = new List<List<Family>>();
            for (var i = 0; i < _profile.Regions; i++)
            {
                var name = i < Regions.Length ? Regions[i] : $"Region {i + 1}";
                _regions.Add(new Region { Id = NextId(), TrustId = _reference.TrustId, Name = name });
                families.Add([]);
            }
            return families;
        }

        private List<(Academy Academy, Plan Plan, List<Family> Families)> CreateAcademies(List<List<Family>> regionFamilies)
        {
            var places = Shuffled(Places);
            var codes = new HashSet<string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<(Academy, Plan, List<Family>)>();
            for (var i = 0; i < _profile.Academies; i++)
            {
                var plan = i < FirstAcademies.Length ? FirstAcademies[i] : FurtherAcademies[(i - FirstAcademies.Length) % FurtherAcademies.Length];
                string code;
                do code = _rng.Next(136_000, 150_000).ToString(CultureInfo.InvariantCulture);
                while (!codes.Add(code));
                var place = places[i % places.Length] + (i < places.Length ? "" : " " + (i / places.Length + 1).ToString(CultureInfo.InvariantCulture));
                var name = AcademyName(plan, place);
                if (!names.Add(name)) names.Add(name = $"{name} ({place})");
                var region = i % _profile.Regions;
                var academy = new Academy
                {
                    Id = NextId(),
                    RegionId = _regions[region].Id,
                    Code = code,
                    Name = name,
                    Phase = plan.Phase,
                    LowestYear = plan.Lowest,
                    HighestYear = plan.Highest,
                    // Ofcom's drama range and a reserved domain: nothing here reaches a real office.
                    OfficePhone = "0117 496 " + (i % 1000).ToString("000", CultureInfo.InvariantCulture).PadLeft(4, '0'),
                    OfficeEmail = $"office.{code}@schools.example.org",
                };
                _academies.Add(academy);
                _academyById[academy.Id] = academy;
                result.Add((academy, plan, regionFamilies[region]));
            }
            return result;
        }

        private string AcademyName(Plan plan, string place)
        {
            var roll = _rng.NextDouble();
            return plan.Phase switch
            {
                AcademyPhase.Primary when roll < 0.15 => $"{Pick(Saints)} CofE Primary Academy",
                AcademyPhase.Primary when roll < 0.4 => $"{place} Primary School",
                AcademyPhase.Primary => $"{place} Primary Academy",
                AcademyPhase.Secondary when plan.Highest >= 12 => roll < 0.5 ? $"{place} Academy and Sixth Form" : $"{place} School & Sixth Form",
                AcademyPhase.Secondary => roll < 0.4 ? $"{place} High School" : roll < 0.6 ? $"The {place} School" : $"{place} Academy",
                AcademyPhase.AllThrough => roll < 0.5 ? $"{place} All-Through Academy" : $"{place} Academy (3–18)",
                AcademyPhase.Special => $"{place} Specialist Academy",
                _ => $"{place} Learning Centre",
            };
        }

        // ---- Pupils and families ---------------------------------------------------------------------------

        private void CreatePupils(List<(Academy Academy, Plan Plan, List<Family> Families)> plans)
        {
            // Each (academy, year) cell gets a share of the pupils by its weight; largest remainders make the total exact.
            var cells = new List<(int Academy, int Year, double Weight)>();
            for (var a = 0; a < plans.Count; a++)
            {
                var size = plans[a].Plan.Scale * (0.85 + 0.3 * _rng.NextDouble());
                for (var y = plans[a].Plan.Lowest; y <= plans[a].Plan.Highest; y++)
                    cells.Add((a, y, size * YearWeight(y) * (0.9 + 0.2 * _rng.NextDouble())));
            }
            var total = cells.Sum(c => c.Weight);
            var ideal = cells.Select(c => _profile.Pupils * c.Weight / total).ToArray();
            var counts = ideal.Select(x => (int)Math.Floor(x)).ToArray();
            var remainder = _profile.Pupils - counts.Sum();
            foreach (var i in Enumerable.Range(0, cells.Count).OrderByDescending(i => ideal[i] - counts[i]).ThenBy(i => i).Take(remainder))
                counts[i]++;

            // How often a pupil joins a family already in the region, so that contacts come out near the target:
            // contacts ≈ families × mean contacts per family (≈ 2), families = pupils × (1 − p).
            const double meanContactsPerFamily = 0.2 * 1 + 0.62 * 2 + 0.18 * 3;
            var siblingChance = Math.Clamp(1 - (double)_profile.ContactsTarget / _profile.Pupils / meanContactsPerFamily, 0, 0.6);

            var misCounters = plans.Select(_ => _rng.Next(1_000, 9_000)).ToArray();
            var classNames = plans.Select(_ => new Queue<string>(Shuffled(Trees))).ToArray();
            for (var c = 0; c < cells.Count; c++)
            {
                var (a, year, _) = cells[c];
                var (academy, plan, families) = plans[a];
                var n = counts[c];
                if (n == 0) continue;
                var forms = RegistrationGroups(year, n, classNames[a]);
                for (var j = 0; j < n; j++)
                {
                    var family = families.Count > 0 && _rng.NextDouble() < siblingChance ? ExistingFamily(families) : null;
                    if (family is null)
                    {
                        family = NewFamily();
                        families.Add(family);
                    }
                    family.Children++;
                    var pupil = NewPupil(academy, plan, year, forms[j % forms.Length], ++misCounters[a], family);
                    _familyOf[pupil.Id] = family;
                    var priority = 0;
                    foreach (var link in family.Links.OrderBy(l => l.NoContactOrder))
                    {
                        var pc = new PupilContact
                        {
                            PupilId = pupil.Id,
                            ContactId = link.Contact.Id,
                            Contact = link.Contact,
                            Relationship = link.Relationship,
                            HasParentalResponsibility = link.ParentalResponsibility,
                            NoContactOrder = link.NoContactOrder,
                            Priority = ++priority,
                        };
                        pupil.Contacts.Add(pc);
                        _pupilContacts.Add(pc);
                    }
                }
            }
        }

        /// <summary>Secondary forms are "7A", "7B"; primary classes are named after trees, one name per class.</summary>
        private static string[] RegistrationGroups(int year, int pupils, Queue<string> trees)
        {
            var count = Math.Max(1, (int)Math.Ceiling(pupils / 30.0));
            if (year >= 7)
                return Enumerable.Range(0, count).Select(i => year.ToString(CultureInfo.InvariantCulture) + (char)('A' + i)).ToArray();
            return Enumerable.Range(0, count).Select(i => trees.Count > 0 ? trees.Dequeue() : new YearGroup(year).Code + (char)('A' + i)).ToArray();
        }

        private Family? ExistingFamily(List<Family> families)
        {
            // Among the region's latest families, which were made for this academy or the one walked just before:
            // siblings mostly share an academy, sometimes one nearby, and rarely one across the region.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var f = families[families.Count - 1 - _rng.Next(Math.Min(families.Count, 400))];
                if (f.Children < 4) return f;
            }
            return null;
        }

        private Pupil NewPupil(Academy academy, Plan plan, int year, string form, int mis, Family family)
        {
            var female = _rng.NextDouble() < 0.5;
            var heritage = family.Heritage;
            var first = Pick(female ? heritage.Girls : heritage.Boys);
            var last = Surname(heritage, family.Surname, female);
            string? preferredFirst = Nicknames.TryGetValue(first, out var nick) && _rng.NextDouble() < 0.4 ? nick : null;
            string? preferredLast = _rng.NextDouble() < 0.01 ? Surname(heritage, Pick(heritage.Surnames), female) : null;

            // Born 1 Sep – 31 Aug of the year that puts them in this year group in the current academic year.
            var bornFrom = new DateOnly(_academicYear - year - 5, 9, 1);
            var dob = bornFrom.AddDays(_rng.Next(bornFrom.AddYears(1).DayNumber - bornFrom.DayNumber));

            var entered = new DateOnly(_academicYear - (year - plan.Lowest), 9, 1);
            var started = _rng.NextDouble() < 0.12
                ? entered.AddDays(_rng.Next(Math.Max(1, _today.DayNumber - entered.DayNumber)))
                : entered;

            DateOnly? left = null;
            var leaving = _rng.NextDouble();
            if (leaving < 0.015)
                left = RandomDate(_yearStart.AddDays(5), _today.AddDays(-1));
            else if (leaving < 0.02)
                left = _today.AddDays(10 + _rng.Next(30)); // leaving at the end of term: still on roll today

            string? schoolEmail = null;
            if (year >= 7)
            {
                var local = Ascii(first)[..1] + Ascii(last) + ((_academicYear - year + 7) % 100).ToString("00", CultureInfo.InvariantCulture);
                schoolEmail = UniqueEmail(local, "example.com");
            }

            var pupil = new Pupil
            {
                Id = NextId(),
                AcademyId = academy.Id,
                MisId = mis.ToString("000000", CultureInfo.InvariantCulture),
                LegalFirstName = first,
                LegalLastName = last,
                PreferredFirstName = preferredFirst,
                PreferredLastName = preferredLast,
                DateOfBirth = dob,
                YearGroup = year,
                RegistrationGroup = form,
                StartedOn = started,
                LeftOn = left,
                SchoolEmail = schoolEmail,
            };
            _pupils.Add(pupil);
            return pupil;
        }

        private Family NewFamily()
        {
            var heritage = PickHeritage();
            var family = new Family
            {
                Heritage = heritage,
                Surname = Pick(heritage.Surnames),
                Refuses = Attitude(),
            };
            var size = _rng.NextDouble();
            var roll = _rng.NextDouble();
            if (size < 0.2)
            {
                // One contact: mostly a mother; a few children are cared for by someone without parental responsibility.
                if (roll < 0.7) AddContact(family, "Mother", pr: true);
                else if (roll < 0.9) AddContact(family, "Father", pr: true);
                else if (roll < 0.94) AddContact(family, "Legal guardian", pr: true);
                else if (roll < 0.97) AddContact(family, "Foster carer", pr: false);
                else AddContact(family, "Grandmother", pr: false);
            }
            else if (size < 0.82)
            {
                if (roll < 0.8) { AddContact(family, "Mother", pr: true); AddFather(family); }
                else if (roll < 0.88) { AddContact(family, "Mother", pr: true); AddContact(family, "Step-father", pr: false); }
                else if (roll < 0.92) { AddContact(family, "Father", pr: true); AddContact(family, "Step-mother", pr: false); }
                else if (roll < 0.95) { AddContact(family, "Mother", pr: true); AddContact(family, "Mother", pr: true); }
                else { AddContact(family, "Mother", pr: true); AddContact(family, "Grandmother", pr: false); }
            }
            else
            {
                AddContact(family, "Mother", pr: true);
                if (roll < 0.7)
                {
                    AddFather(family);
                    AddContact(family, Pick(["Grandmother", "Grandfather", "Aunt"]), pr: false);
                }
                else
                {
                    AddContact(family, "Step-father", pr: false);
                    AddFather(family);
                }
            }
            return family;
        }

        /// <summary>Most fathers hold parental responsibility; now and then a court order keeps one out of it all.</summary>
        private void AddFather(Family family)
        {
            var pr = _rng.NextDouble() < 0.97;
            var noContact = pr && family.Links.Any(l => l.ParentalResponsibility) && _rng.NextDouble() < 0.012;
            AddContact(family, "Father", pr, noContact);
        }

        private void AddContact(Family family, string relationship, bool pr, bool noContact = false)
        {
            var heritage = family.Heritage;
            var female = relationship is "Mother" or "Step-mother" or "Grandmother" or "Aunt" || (relationship is "Foster carer" or "Legal guardian" && _rng.NextDouble() < 0.7);
            var older = relationship is "Grandmother" or "Grandfather";
            if (relationship == "Foster carer") heritage = Heritages[0];
            var first = Pick(female ? heritage.Women : heritage.Men);
            var ownSurname = relationship switch
            {
                "Father" => true,
                "Mother" => _rng.NextDouble() < 0.75,
                "Grandmother" or "Grandfather" => _rng.NextDouble() < 0.5,
                _ => false,
            };
            var last = Surname(heritage, ownSurname ? family.Surname : Pick(heritage.Surnames), female);
            var title = female
                ? PickWeighted(("Mrs", 50), ("Ms", 25), ("Miss", 8), ("Dr", 3), (null, 14))
                : PickWeighted(("Mr", 85), ("Dr", 3), (null, 12));

            string? email = null;
            if (relationship == "Foster carer" || _rng.NextDouble() < 0.88)
            {
                var local = Ascii(first) + "." + Ascii(last);
                email = UniqueEmail(local, _rng.NextDouble() < 0.5 ? "example.org" : "example.com");
            }
            var language = heritage.Language != "en" && _rng.NextDouble() < (older ? 0.8 : 0.45) ? heritage.Language : "en";
            var contact = new Contact
            {
                Id = NextId(),
                Title = title,
                FirstName = first,
                LastName = last,
                Email = email,
                Phone = _rng.NextDouble() < 0.92 ? "07700 900" + _rng.Next(1000).ToString("000", CultureInfo.InvariantCulture) : null,
                PreferredLanguage = language,
                EmailFailingSince = email is not null && _rng.NextDouble() < 0.01 ? _asOf.AddDays(-_rng.Next(3, 90)) : null,
            };
            _contacts.Add(contact);
            family.Links.Add((contact, relationship, pr, noContact));
        }

        /// <summary>Most families agree to everything; some pick and choose; a few say no to all of it.</summary>
        private bool[] Attitude()
        {
            var refuses = new bool[_reference.Purposes.Count];
            var roll = _rng.NextDouble();
            for (var i = 0; i < refuses.Length; i++)
            {
                var p = _reference.Purposes[i];
                var risky = p.ValidityKind != ValidityKind.UntilWithdrawn; // social media, press, video: renewed because riskier
                refuses[i] = roll switch
                {
                    < 0.62 => false,
                    < 0.93 when p.LawfulBasis != LawfulBasis.Consent => _rng.NextDouble() < 0.03,
                    < 0.93 => _rng.NextDouble() < (risky ? 0.45 : 0.1),
                    _ => p.LawfulBasis == LawfulBasis.Consent || _rng.NextDouble() < 0.4,
                };
            }
            return refuses;
        }

        // ---- Flags and pauses ------------------------------------------------------------------------------

        private void FlagSixthFormers()
        {
            var candidates = _pupils
                .Where(p => p.YearGroup >= 12 && p.LeftOn is null && p.Contacts.Any(c => c.HasParentalResponsibility && !c.NoContactOrder))
                .ToList();
            if (candidates.Count < _profile.FlaggedSixthFormers)
                throw new InvalidOperationException($"Only {candidates.Count} sixth-formers can be flagged; asked for {_profile.FlaggedSixthFormers}.");
            foreach (var pupil in Shuffled(candidates).Take(_profile.FlaggedSixthFormers))
            {
                pupil.AlsoAskParent = true;
                pupil.AlsoAskParentReason = Pick(FlagReasons);
            }
        }

        private void FlagSafeguarding()
        {
            var candidates = _pupils.Where(p => p.LeftOn is null).ToList();
            if (candidates.Count < _profile.SafeguardingFlags)
                throw new InvalidOperationException($"Only {candidates.Count} pupils on roll; asked for {_profile.SafeguardingFlags} safeguarding flags.");
            foreach (var pupil in Shuffled(candidates).Take(_profile.SafeguardingFlags))
            {
                _safeguarding.Add(new SafeguardingFlag
                {
                    Id = NextId(),
                    PupilId = pupil.Id,
                    AcademyId = pupil.AcademyId,
                    Reason = Pick(SafeguardingReasons),
                    SetBy = "Designated safeguarding lead",
                    SetAt = _asOf.AddDays(-_rng.Next(10, 400)),
                });
            }
        }

        /// <summary>Pauses that have ended: the history a trust has, none of them blocking anything today.</summary>
        private void CreatePauses()
        {
            for (var i = 0; i < _profile.EndedPostingPauses; i++)
            {
                var scope = (PauseScope)(i % 3);
                var academy = Pick(_academies);
                var from = _asOf.AddDays(-_rng.Next(30, 120)).AddHours(-_rng.Next(24));
                _pauses.Add(new PostingPause
                {
                    Id = NextId(),
                    Scope = scope,
                    ScopeId = scope switch
                    {
                        PauseScope.Academy => academy.Id,
                        PauseScope.Region => academy.RegionId,
                        _ => null,
                    },
                    From = from,
                    Until = from.AddDays(_rng.Next(3, 10)),
                    Reason = PauseReasons[i % PauseReasons.Length],
                    SetBy = "Head of communications",
                    SetAt = from.AddMinutes(-_rng.Next(5, 120)),
                });
            }
        }

        // ---- Requests and answers --------------------------------------------------------------------------

        /// <summary>
        /// Most pupils were sent this year's form; some joined at the start of their phase and answered the
        /// induction pack in the summer (their annual consents have since lapsed); a few were never asked.
        /// </summary>
        private void RequestAndAnswer(Pupil pupil)
        {
            if (_rng.NextDouble() < 0.12) return; // not requested yet: e.g. joined late, or the academy has not issued it

            var academy = _academyById[pupil.AcademyId];
            var family = _familyOf[pupil.Id];
            var year = pupil.YearGroup;
            var entryYear = year == academy.LowestYear || year is 0 or 7 or 12;
            var summer = entryYear && _rng.NextDouble() < 0.35;
            var issuedAt = IssueTime(academy, year, summer);
            var deadline = UkCalendar.DateOf(issuedAt).AddDays(14);
            var issuedBy = $"{Pick(OfficeStaff)} ({academy.Name})";

            var needsParent = year <= 11 || pupil.AlsoAskParent;
            var needsPupil = year >= 7;
            var parents = needsParent
                ? pupil.Contacts.Where(c => c.HasParentalResponsibility && !c.NoContactOrder).OrderBy(c => c.Priority).ToList()
                : [];
            if (parents.Count == 0 && !needsPupil) return; // nobody who can answer: the office has to find out who holds parental responsibility

            // One form per party; the parents' answers follow the family's view, the pupil has their own.
            bool[]? firstParent = null;
            for (var i = 0; i < parents.Count; i++)
            {
                var respondChance = i == 0 ? (summer ? 0.9 : 0.8) : 0.25;
                bool[]? said = null;
                if (_rng.NextDouble() < respondChance)
                {
                    said = (bool[])(firstParent ?? family.Refuses).Clone();
                    if (firstParent is not null && _rng.NextDouble() < 0.35)
                        FlipOneConsentPurpose(said); // parents who disagree
                    firstParent ??= said;
                    Submit(pupil, academy, PartyKind.Contact, parents[i].Contact!, said, issuedAt);
                }
                AddRequest(pupil, PartyKind.Contact, parents[i].ContactId, issuedAt, issuedBy, deadline, answered: said is not null);
            }

            if (needsPupil)
            {
                var responded = _rng.NextDouble() < (year >= 12 ? 0.8 : 0.7);
                if (responded)
                {
                    var own = (bool[])(firstParent ?? family.Refuses).Clone();
                    for (var i = 0; i < own.Length; i++)
                    {
                        if (_reference.Purposes[i].LawfulBasis != LawfulBasis.Consent) continue;
                        var risky = _reference.Purposes[i].ValidityKind != ValidityKind.UntilWithdrawn;
                        // Teenagers are warier of social media and the press than their parents; sixth-formers decide alone.
                        if (!own[i] && _rng.NextDouble() < (risky ? 0.18 : 0.06)) own[i] = true;
                        else if (own[i] && _rng.NextDouble() < (year >= 12 ? 0.4 : 0.2)) own[i] = false;
                    }
                    Submit(pupil, academy, PartyKind.Pupil, null, own, issuedAt);
                }
                AddRequest(pupil, PartyKind.Pupil, null, issuedAt, issuedBy, deadline, responded);
            }
        }

        private void FlipOneConsentPurpose(bool[] refuses)
        {
            var consent = Enumerable.Range(0, refuses.Length).Where(i => _reference.Purposes[i].LawfulBasis == LawfulBasis.Consent).ToList();
            if (consent.Count == 0) return;
            var i = consent[_rng.Next(consent.Count)];
            refuses[i] = !refuses[i];
        }

        /// <summary>Academies issue a year group's forms together, so a year group shares its issue date.</summary>
        private DateTimeOffset IssueTime(Academy academy, int year, bool summer)
        {
            var key = (academy.Id, year, summer);
            if (_issueTimes.TryGetValue(key, out var at)) return at;
            var date = summer
                ? _yearStart.AddDays(-55 + _rng.Next(20))                         // July: induction packs
                : RandomDate(_yearStart.AddDays(6), _yearStart.AddDays(30));      // September: back to school
            if (date > _today.AddDays(-2)) date = _today.AddDays(-2);
            at = At(date, 8 + _rng.Next(8));
            _issueTimes[key] = at;
            return at;
        }

        private readonly HashSet<string> _shortCodes = new(StringComparer.Ordinal);

        private string UniqueShortCode()
        {
            string code;
            do code = string.Create(SigningSecrets.ShortCodeLength, _rng, static (span, rng) =>
                {
                    for (var i = 0; i < span.Length; i++) span[i] = SigningSecrets.ShortCodeAlphabet[rng.Next(SigningSecrets.ShortCodeAlphabet.Length)];
                });
            while (!_shortCodes.Add(code));
            return code;
        }

        private byte[] RandomHash()
        {
            var hash = new byte[32];
            _rng.NextBytes(hash);
            return hash;
        }

        private void AddRequest(Pupil pupil, PartyKind party, Guid? contactId, DateTimeOffset issuedAt, string issuedBy, DateOnly deadline, bool answered) =>
            _requests.Add(new SignatureRequest
            {
                Id = NextId(),
                PupilId = pupil.Id,
                AcademyId = pupil.AcademyId,
                FormVersionId = _reference.FormVersionId,
                PartyKind = party,
                ContactId = contactId,
                IssuedAt = issuedAt,
                IssuedBy = issuedBy,
                Deadline = deadline,
                Status = answered ? RequestStatus.Answered : RequestStatus.Open,
                // Random bytes in place of a token's hash: no token hashes to them, so nobody holds these links
                // (office staff send a new one when a demo needs it), and the same profile still gives the same rows.
                TokenHash = RandomHash(),
                ShortCode = UniqueShortCode(),
                ExpiresAt = At(deadline, 0).AddDays(14),
            });

        /// <summary>
        /// One completed form: an answer per purpose at the same moment. Public-task purposes get an answer only
        /// when the party objects, as the form asks. Now and then someone changes their mind later.
        /// </summary>
        private void Submit(Pupil pupil, Academy academy, PartyKind party, Contact? contact, bool[] refuses, DateTimeOffset issuedAt)
        {
            var latest = WholeSeconds(_asOf.AddMinutes(-10));
            var hours = -Math.Log(1 - _rng.NextDouble()) * 72; // most answer within days, a long tail after the deadline
            var at = WholeSeconds(Min(issuedAt.AddHours(hours), latest));
            if (at <= issuedAt) at = issuedAt.AddMinutes(1);
            var signer = contact is null ? pupil.DisplayName : $"{contact.FirstName} {contact.LastName}";
            var method = contact is null
                ? pupil.SchoolEmail is null ? AnswerMethod.Paper : AnswerMethod.Online
                : contact.Email is null
                    ? _rng.NextDouble() < 0.8 ? AnswerMethod.Paper : AnswerMethod.RecordedByStaff
                    : _rng.NextDouble() < 0.85 ? AnswerMethod.Online : AnswerMethod.Paper;
            var recordedAt = method == AnswerMethod.Paper ? Min(at.AddHours(6 + _rng.Next(90)), latest) : at;
            if (recordedAt < at) recordedAt = at;
            var ipHash = method == AnswerMethod.Online ? Convert.ToHexStringLower(RandomBytes(32)) : null;
            var userAgent = method == AnswerMethod.Online ? Pick(UserAgents) : null;
            var scan = method == AnswerMethod.Paper
                ? string.Create(CultureInfo.InvariantCulture, $"scans/{academy.Code}/{UkCalendar.DateOf(recordedAt):yyyyMMdd}-{++_scanCounter:000000}.pdf")
                : null;
            var staff = Pick(OfficeStaff);

            for (var i = 0; i < refuses.Length; i++)
            {
                var purpose = _reference.Purposes[i];
                if (purpose.LawfulBasis != LawfulBasis.Consent && !refuses[i]) continue;
                var answer = NewAnswer(pupil, purpose, party, contact, refuses[i] ? AnswerKind.Refuse : AnswerKind.Grant, method, at, recordedAt, signer, staff, ipHash, userAgent, scan);
                _answers.Add(answer);

                if (_rng.NextDouble() < 0.006 && latest > at.AddDays(3))
                {
                    // A change of mind, told to the office later: a grant withdrawn, or a refusal turned into a yes.
                    var later = Min(at.AddDays(3 + _rng.Next(40)).AddHours(_rng.Next(8)), latest);
                    var kind = answer.Kind == AnswerKind.Grant ? AnswerKind.Withdraw : AnswerKind.Grant;
                    _answers.Add(NewAnswer(pupil, purpose, party, contact, kind, AnswerMethod.RecordedByStaff, later, later, signer, staff, null, null, null));
                }
            }
        }

        private ConsentAnswer NewAnswer(Pupil pupil, Purpose purpose, PartyKind party, Contact? contact, AnswerKind kind, AnswerMethod method,
            DateTimeOffset at, DateTimeOffset recordedAt, string signer, string staff, string? ipHash, string? userAgent, string? scan) => new()
            {
                PupilId = pupil.Id,
                AcademyId = pupil.AcademyId,
                PurposeId = purpose.Id,
                PartyKind = party,
                ContactId = contact?.Id,
                Kind = kind,
                Method = method,
                FormVersionId = _reference.FormVersionId,
                At = at,
                RecordedAt = recordedAt,
                RecordedBy = method == AnswerMethod.Online ? $"online: {signer}" : staff,
                SignatureName = method == AnswerMethod.RecordedByStaff ? null : signer,
                IpHash = ipHash,
                UserAgent = userAgent,
                ScanReference = scan,
                Attested = method != AnswerMethod.Online,
                Note = method == AnswerMethod.RecordedByStaff ? "Told the office by phone; the form wording was read out." : null,
            };

        // ---- Drawing ---------------------------------------------------------------------------------------

        /// <summary>
        /// Version 7 shaped ids (time-ordered, as the app makes them), with the time and the random part both
        /// drawn from the seed so that ids repeat exactly.
        /// </summary>
        private Guid NextId()
        {
            Span<byte> b = stackalloc byte[16];
            _rng.NextBytes(b);
            var ms = _idBaseMs + _idCounter++;
            for (var i = 0; i < 6; i++) b[i] = (byte)(ms >> (8 * (5 - i)));
            b[6] = (byte)(0x70 | (b[6] & 0x0F));
            b[8] = (byte)(0x80 | (b[8] & 0x3F));
            return new Guid(b, bigEndian: true);
        }

        private byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            _rng.NextBytes(bytes);
            return bytes;
        }

        private string UniqueEmail(string local, string domain)
        {
            // "jsmith24" then "jsmith24.2": a bare digit after a year would read as a different year.
            var separator = char.IsAsciiDigit(local[^1]) ? "." : "";
            var email = $"{local}@{domain}";
            for (var n = 2; !_emails.Add(email); n++)
                email = $"{local}{separator}{n.ToString(CultureInfo.InvariantCulture)}@{domain}";
            return email;
        }

        private Heritage PickHeritage()
        {
            var total = Heritages.Sum(h => h.Weight);
            var roll = _rng.Next(total);
            foreach (var h in Heritages)
            {
                if (roll < h.Weight) return h;
                roll -= h.Weight;
            }
            return Heritages[0];
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

        private string? PickWeighted(params (string? Value, int Weight)[] choices)
        {
            var roll = _rng.Next(choices.Sum(c => c.Weight));
            foreach (var (value, weight) in choices)
            {
                if (roll < weight) return value;
                roll -= weight;
            }
            return choices[^1].Value;
        }

        private T[] Shuffled<T>(IEnumerable<T> items)
        {
            var array = items.ToArray();
            for (var i = array.Length - 1; i > 0; i--)
            {
                var j = _rng.Next(i + 1);
                (array[i], array[j]) = (array[j], array[i]);
            }
            return array;
        }

        private DateOnly RandomDate(DateOnly from, DateOnly to) =>
            to <= from ? from : from.AddDays(_rng.Next(to.DayNumber - from.DayNumber + 1));

        private DateTimeOffset At(DateOnly date, int hour) =>
            new DateTimeOffset(date.ToDateTime(new TimeOnly(hour, _rng.Next(60))), TimeSpan.Zero);

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

        /// <summary>What a form records; also keeps times identical after a round trip through the database (microseconds).</summary>
        private static DateTimeOffset WholeSeconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
