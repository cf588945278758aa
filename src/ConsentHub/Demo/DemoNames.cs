using System.Text;

namespace ConsentHub.Trust.Demo;

/// <summary>
/// Names for demo families, grouped by heritage so that a family's names, surname and preferred language fit
/// together. The mix is deliberately wide (accents, apostrophes, hyphens, particles) so screens, PDFs, sorting and
/// search meet real names early.
/// </summary>
internal static class DemoNames
{
    /// <param name="Language">The home language some families of this heritage prefer letters in; "en" when none.</param>
    /// <param name="GenderedSurnames">Polish-style surnames whose feminine form ends in -ska/-cka/-dzka.</param>
    internal sealed record Heritage(
        string Name,
        int Weight,
        string Language,
        string[] Girls,
        string[] Boys,
        string[] Women,
        string[] Men,
        string[] Surnames,
        bool GenderedSurnames = false);

    public static readonly Heritage[] Heritages =
    [
        new("British", 58, "en",
            ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Sophia", "Grace", "Freya", "Evie", "Poppy", "Emily", "Ella", "Charlotte", "Florence", "Rosie", "Daisy", "Willow", "Ruby", "Zoë", "Chloë", "Cerys", "Ffion", "Eilidh", "Elizabeth", "Harriet", "Matilda", "Phoebe"],
            ["Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Charlie", "Freddie", "Alfie", "Theo", "Archie", "Jacob", "Thomas", "William", "Henry", "Joshua", "James", "Ethan", "Alexander", "Benjamin", "Rhys", "Dylan", "Callum", "Finlay", "Samuel", "Reuben", "Toby", "Louis"],
            ["Sarah", "Emma", "Claire", "Laura", "Rebecca", "Jessica", "Gemma", "Hannah", "Rachel", "Kelly", "Nicola", "Lisa", "Kirsty", "Joanne", "Victoria", "Catherine", "Sian", "Leanne"],
            ["Daniel", "Matthew", "David", "Christopher", "Mark", "Paul", "Andrew", "Richard", "Stephen", "Gareth", "Craig", "Lee", "Jamie", "Simon", "Stuart", "Iain", "Robert", "Neil"],
            ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Jackson", "Wood", "Turner", "Cooper", "Hill", "Ward", "Morris", "Moore", "King", "Baker", "Harrison", "Morgan", "Allen", "Scott", "Bennett", "Griffiths", "Mitchell", "Richardson", "Bailey", "Collins", "Shaw", "McDonald", "MacLeod", "Fraser", "Llewellyn", "Smith-Jones", "Ashworth-Hale", "ap Rhys"]),
        new("Irish", 4, "en",
            ["Siobhán", "Aoife", "Niamh", "Saoirse", "Róisín", "Caoimhe", "Orla", "Clodagh"],
            ["Seán", "Ciarán", "Pádraig", "Oisín", "Cian", "Darragh", "Eoin", "Tadhg"],
            ["Máire", "Bríd", "Deirdre", "Sinéad", "Aisling", "Gráinne"],
            ["Séamus", "Declan", "Eamonn", "Colm", "Fergal", "Liam"],
            ["O'Brien", "O'Connor", "Murphy", "Kelly", "Byrne", "Ó Súilleabháin", "McCarthy", "Doherty", "Ní Bhriain", "Gallagher"]),
        new("Polish", 6, "pl",
            ["Zofia", "Zuzanna", "Maja", "Lena", "Julia", "Hanna", "Oliwia", "Alicja", "Małgorzata", "Wiktoria"],
            ["Łukasz", "Jakub", "Antoni", "Jan", "Szymon", "Michał", "Wojciech", "Paweł", "Kacper", "Mikołaj"],
            ["Agnieszka", "Katarzyna", "Ewa", "Magdalena", "Joanna", "Małgorzata", "Beata", "Dorota"],
            ["Krzysztof", "Tomasz", "Piotr", "Marcin", "Grzegorz", "Łukasz", "Andrzej", "Michał"],
            ["Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kowalski", "Gołębiowski"],
            GenderedSurnames: true),
        new("Romanian", 3, "ro",
            ["Ioana", "Elena", "Maria", "Andreea", "Bianca", "Ștefania", "Alexandra", "Daria"],
            ["Andrei", "Mihai", "Ștefan", "Alexandru", "Răzvan", "Ionuț", "Matei", "David"],
            ["Mihaela", "Cristina", "Gabriela", "Ramona", "Loredana", "Simona"],
            ["Florin", "Cătălin", "Bogdan", "Ionel", "Marius", "Costel"],
            ["Popescu", "Ionescu", "Dumitru", "Stan", "Gheorghe", "Rusu", "Munteanu", "Mureșan", "Țurcanu", "Lungu"]),
        new("Pakistani", 6, "ur",
            ["Aisha", "Fatima", "Maryam", "Zainab", "Hafsa", "Inaya", "Amina", "Hania", "Alizeh", "Safa"],
            ["Muhammad", "Ayaan", "Hamza", "Zain", "Ibrahim", "Yusuf", "Rayyan", "Musa", "Haroon", "Idris"],
            ["Saima", "Nadia", "Shazia", "Rubina", "Farah", "Samina"],
            ["Imran", "Bilal", "Tariq", "Asif", "Khalid", "Naveed"],
            ["Khan", "Hussain", "Ahmed", "Ali", "Iqbal", "Rashid", "Malik", "Akhtar", "Butt", "Chaudhry"]),
        new("Punjabi", 3, "pa",
            ["Simran", "Jasleen", "Harleen", "Navneet", "Amrit", "Kiran", "Manpreet", "Gurleen"],
            ["Arjun", "Harjot", "Gurveer", "Jaskaran", "Navdeep", "Ekam", "Fateh", "Rajveer"],
            ["Harpreet", "Gurpreet", "Jaspreet", "Rajinder", "Sukhwinder", "Baljit"],
            ["Harjit", "Kuldeep", "Sukhdev", "Jagdeep", "Parminder", "Balwinder"],
            ["Singh", "Sandhu", "Gill", "Dhillon", "Sidhu", "Grewal", "Bains", "Johal", "Sahota"]),
        new("Indian", 3, "en",
            ["Priya", "Anika", "Diya", "Saanvi", "Isha", "Meera"],
            ["Aarav", "Rohan", "Dev", "Vihaan", "Krish", "Rishi"],
            ["Anjali", "Pooja", "Nisha", "Sunita", "Rupal", "Hema"],
            ["Sanjay", "Rakesh", "Vikram", "Nikhil", "Hitesh", "Amit"],
            ["Patel", "Shah", "Mistry", "Sharma", "Desai", "Joshi", "Mehta", "Pillai"]),
        new("Arabic", 3, "ar",
            ["Layla", "Noor", "Huda", "Amira", "Rania", "Yasmin", "Salma", "Mariam"],
            ["Omar", "Yusuf", "Khalid", "Ahmad", "Adam", "Karim", "Zayd", "Hassan"],
            ["Fatma", "Hanan", "Lina", "Dalia", "Rasha", "Samira"],
            ["Samir", "Walid", "Tarek", "Nabil", "Mahmoud", "Faisal"],
            ["Al-Sayed", "Haddad", "Nasser", "Mansour", "Abdullah", "Saleh", "Al-Amin", "Khalil", "El-Masri"]),
        new("Iberian", 2, "en",
            ["María", "Sofía", "Lucía", "Inês", "Beatriz", "Matilde"],
            ["José", "Mateo", "João", "Martín", "Gonçalo", "Hugo"],
            ["Ana", "Mónica", "Raquel", "Conceição", "Patrícia", "Inmaculada"],
            ["Jesús", "Andrés", "António", "Rubén", "Sérgio", "Álvaro"],
            ["García", "Fernández", "Rodríguez", "Silva", "Santos", "Gonçalves", "Pérez", "Muñoz", "de la Cruz", "Peña"]),
        new("Vietnamese", 1, "en",
            ["Linh", "Thảo", "Ngọc", "Anh", "Mai", "Trâm"],
            ["Minh", "Huy", "Quân", "Bảo", "Đức", "Khoa"],
            ["Hương", "Lan", "Thu", "Hạnh"],
            ["Tuấn", "Hùng", "Dũng", "Phúc"],
            ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng"]),
        new("West African", 5, "en",
            ["Adaeze", "Temitope", "Ama", "Ngozi", "Abena", "Chiamaka", "Folake", "Efua"],
            ["Chidi", "Oluwaseun", "Kwame", "Chinonso", "Tobi", "Kofi", "Emeka", "Kwabena"],
            ["Ifeoma", "Yetunde", "Akosua", "Funmilayo", "Nkechi", "Adjoa"],
            ["Babatunde", "Kwesi", "Obinna", "Olumide", "Yaw", "Chukwuemeka"],
            ["Okafor", "Adeyemi", "Mensah", "Boateng", "Okonkwo", "Adebayo", "Owusu", "Eze", "Asante", "Oyelaran-Smith"]),
        new("European", 3, "en",
            ["Léa", "Anaïs", "Noémie", "Giulia", "Ingrid", "Sigrid", "Renée", "Margrét"],
            ["Lukas", "Jonas", "Matteo", "Émile", "Søren", "Håkon", "Björn", "François"],
            ["Anneliese", "Céline", "Francesca", "Åsa", "Katrin", "Jana"],
            ["Jürgen", "Henrik", "Thierry", "Giuseppe", "Mads", "Jiří"],
            ["Ødegaard", "Müller", "Rossi", "Dubois", "Lefèvre", "Jensen", "Björklund", "Schröder", "van der Berg", "Dvořák"]),
    ];

    /// <summary>Everyday forms schools record as a preferred name.</summary>
    public static readonly Dictionary<string, string> Nicknames = new(StringComparer.Ordinal)
    {
        ["Alexander"] = "Alex",
        ["Benjamin"] = "Ben",
        ["Elizabeth"] = "Lizzie",
        ["William"] = "Will",
        ["Samuel"] = "Sam",
        ["Joshua"] = "Josh",
        ["Matilda"] = "Tilly",
        ["Oluwaseun"] = "Seun",
        ["Temitope"] = "Tope",
        ["Małgorzata"] = "Gosia",
        ["Muhammad"] = "Mo",
        ["Alexandra"] = "Sasha",
        ["Christopher"] = "Chris",
        ["Harriet"] = "Hattie",
        ["Chiamaka"] = "Amaka",
        ["Jaskaran"] = "Jas",
        ["Ibrahim"] = "Ibby",
        ["Florence"] = "Flo",
        ["Thomas"] = "Tom",
        ["Phoebe"] = "Phoebs",
    };

    public static readonly string[] Places =
    [
        "Ashworth", "Brackenfield", "Castlebrook", "Denholme", "Elmsleigh", "Fairmead", "Greenacre", "Hollinsbank",
        "Kingsmead", "Langdale", "Marlowe", "Northgate", "Oakwood", "Parkside", "Queensbridge", "Riverside", "Stanbury",
        "Thornhill", "Upperton", "Westfield", "Whitmore", "Yarrowby", "Bramley Green", "Cotterdale", "Fenwick",
        "Harrowden", "Kestrel Park", "Linthorpe", "Millbrook", "Netherfield", "Orchard Vale", "Redcliffe", "Southmoor",
        "Wyndham", "Hawthorn Rise", "Beacon Hill", "Coldharbour", "Foxcote", "Ravensworth", "Seacombe",
    ];

    public static readonly string[] Saints = ["St Aidan's", "St Hilda's", "St Cuthbert's", "St Bede's", "St Oswald's", "St Chad's", "St Wilfrid's", "St Margaret's"];

    public static readonly string[] Regions =
    [
        "North West", "Yorkshire and the Humber", "West Midlands", "East Midlands", "London", "South East", "East of England",
        "South West", "North East",
    ];

    /// <summary>Primary class names; each primary class in an academy takes one.</summary>
    public static readonly string[] Trees =
    [
        "Acorn", "Alder", "Ash", "Aspen", "Beech", "Birch", "Cedar", "Chestnut", "Elm", "Hawthorn", "Hazel", "Holly",
        "Juniper", "Larch", "Linden", "Magnolia", "Maple", "Oak", "Pine", "Poplar", "Rowan", "Spruce", "Sycamore", "Willow",
        "Yew", "Cherry", "Hornbeam", "Walnut",
    ];

    /// <summary>The feminine form of a Polish surname for a woman or girl: Kowalski → Kowalska.</summary>
    public static string Surname(Heritage heritage, string surname, bool female) =>
        heritage.GenderedSurnames && female && (surname.EndsWith("ski", StringComparison.Ordinal) || surname.EndsWith("cki", StringComparison.Ordinal) || surname.EndsWith("dzki", StringComparison.Ordinal))
            ? surname[..^1] + "a"
            : surname;

    /// <summary>An email-safe, lower-case form of a name: accents and letters like Ł or Ø folded to ASCII, other marks dropped.</summary>
    public static string Ascii(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var ch in name.Normalize(NormalizationForm.FormD))
        {
            // Letters that are not a base letter plus a combining mark, so decomposition leaves them alone.
            var folded = ch switch
            {
                'Ł' or 'ł' => "l",
                'Ø' or 'ø' => "o",
                'Đ' or 'đ' => "d",
                'ß' => "ss",
                'Æ' or 'æ' => "ae",
                _ => null,
            };
            if (folded is not null) sb.Append(folded);
            else if (char.IsAsciiLetterOrDigit(ch)) sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }
}
