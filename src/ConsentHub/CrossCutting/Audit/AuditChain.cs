using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ConsentHub.Audit;

/// <summary>
/// The rules every link of a chain follows, shared by the writers and the verifier: which chain an event joins,
/// the canonical payload, and the hash over it. See README.md in this folder.
/// </summary>
public static class AuditChain
{
    /// <summary>The trust's own chain, for events that belong to no academy.</summary>
    public static readonly Guid Trust = Guid.Empty;

    /// <summary>Version of the payload layout, stored in each payload so a later layout can be told apart.</summary>
    public const int PayloadVersion = 1;

    public const int HashLength = 32;

    public const int MaxActorLength = 200;
    public const int MaxActionLength = 60;
    public const int MaxEntityTypeLength = 60;
    public const int MaxEntityIdLength = 80;

    // A dictionary that holds itself would otherwise recurse until the stack overflows.
    private const int MaxDataDepth = 16;

    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    // The default encoder escapes everything outside printable ASCII, so a payload is pure ASCII: its UTF-8 bytes
    // are its characters, whatever the database encoding, and no Unicode normalisation can touch it.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Default, Indented = false };

    /// <summary>The previous hash of a chain's first entry: 32 zero bytes.</summary>
    public static byte[] GenesisHash() => new byte[HashLength];

    public static Guid ChainFor(Guid? academyId) => academyId ?? Trust;

    /// <summary>
    /// UTC, cut to whole microseconds. PostgreSQL keeps microseconds, so a time with finer ticks would come back
    /// different from the one hashed; every time is normalised before it is stored or hashed.
    /// </summary>
    public static DateTimeOffset Normalise(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    /// <summary>ISO-8601, UTC, always six fractional digits: one text per instant.</summary>
    public static string FormatTime(DateTimeOffset at) =>
        Normalise(at).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>SHA-256(previousHash ‖ UTF-8(payload)).</summary>
    public static byte[] ComputeHash(ReadOnlySpan<byte> previousHash, string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        // One-shot over one pooled buffer (previous hash, then the payload's UTF-8): the same bytes hashed as
        // before, without creating and disposing a hash object and a byte array per entry.
        var length = previousHash.Length + Encoding.UTF8.GetMaxByteCount(payload.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            previousHash.CopyTo(rented);
            var written = Encoding.UTF8.GetBytes(payload, rented.AsSpan(previousHash.Length));
            return SHA256.HashData(rented.AsSpan(0, previousHash.Length + written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The canonical JSON of one entry: keys in ordinal order at every level, no whitespace, times as
    /// <see cref="FormatTime"/>, ids in lower-case "D" form, non-ASCII escaped. Everything the entry's columns say
    /// is in here, so the hash covers them and the verifier can compare each column with it.
    /// </summary>
    public static string CanonicalPayload(Guid chainId, long sequence, DateTimeOffset at, AuditEvent auditEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            // Written in ordinal key order by hand: action, actor, at, chain, data, entityId, entityType, pupilId, seq, v.
            w.WriteStartObject();
            w.WriteString(PayloadKeys.Action, auditEvent.Action);
            w.WriteString(PayloadKeys.Actor, auditEvent.Actor);
            w.WriteString(PayloadKeys.At, FormatTime(at));
            w.WriteString(PayloadKeys.Chain, chainId.ToString("D"));
            w.WritePropertyName(PayloadKeys.Data);
            if (auditEvent.Data is null)
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
            else
            {
                WriteObject(w, auditEvent.Data, 1);
            }
            WriteNullableString(w, PayloadKeys.EntityId, auditEvent.EntityId);
            WriteNullableString(w, PayloadKeys.EntityType, auditEvent.EntityType);
            WriteNullableString(w, PayloadKeys.PupilId, auditEvent.PupilId?.ToString("D"));
            w.WriteNumber(PayloadKeys.Sequence, sequence);
            w.WriteNumber(PayloadKeys.Version, PayloadVersion);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Rejects an event that could not be stored or hashed: missing or over-long columns, NUL characters (which
    /// PostgreSQL text refuses), or data holding something other than strings, numbers, booleans, ids, dates,
    /// enums, lists and dictionaries with string keys. Cheap: no JSON is written.
    /// </summary>
    public static void Validate(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        CheckColumn(auditEvent.Actor, MaxActorLength, nameof(AuditEvent.Actor), required: true);
        CheckColumn(auditEvent.Action, MaxActionLength, nameof(AuditEvent.Action), required: true);
        CheckColumn(auditEvent.EntityType, MaxEntityTypeLength, nameof(AuditEvent.EntityType), required: false);
        CheckColumn(auditEvent.EntityId, MaxEntityIdLength, nameof(AuditEvent.EntityId), required: false);
        if (auditEvent.Data is not null)
        {
            foreach (var (key, value) in auditEvent.Data)
            {
                if (key is null) throw new ArgumentException("Audit data keys cannot be null.", nameof(auditEvent));
                WriteValue(null, value, 1);
            }
        }
    }

    private static void CheckColumn(string? value, int maxLength, string name, bool required)
    {
        if (value is null)
        {
            if (required) throw new ArgumentException($"An audit event needs {name}.", name);
            return;
        }
        if (required && string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"An audit event needs {name}.", name);
        if (value.Length > maxLength)
            throw new ArgumentException($"Audit {name} is longer than {maxLength} characters.", name);
        if (value.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"Audit {name} contains a NUL character.", name);
    }

    private static void WriteNullableString(Utf8JsonWriter w, string key, string? value)
    {
        if (value is null) w.WriteNull(key);
        else w.WriteString(key, value);
    }

    private static void WriteObject(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, object?>> entries, int depth)
    {
        var sorted = entries.ToList();
        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        w.WriteStartObject();
        for (var i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].Key is null) throw new ArgumentException("Audit data keys cannot be null.");
            if (i > 0 && string.Equals(sorted[i - 1].Key, sorted[i].Key, StringComparison.Ordinal))
                throw new ArgumentException($"Audit data has the key \"{sorted[i].Key}\" twice.");
            w.WritePropertyName(sorted[i].Key);
            WriteValue(w, sorted[i].Value, depth + 1);
        }
        w.WriteEndObject();
    }

    /// <summary>Writes one data value, or with <paramref name="w"/> null only checks that it could be written.</summary>
    private static void WriteValue(Utf8JsonWriter? w, object? value, int depth)
    {
        if (depth > MaxDataDepth)
            throw new ArgumentException($"Audit data is nested deeper than {MaxDataDepth} levels.");
        switch (value)
        {
            case null: w?.WriteNullValue(); break;
            case string s: w?.WriteStringValue(s); break;
            case char c: w?.WriteStringValue(c.ToString()); break;
            case bool b: w?.WriteBooleanValue(b); break;
            case int i: w?.WriteNumberValue(i); break;
            case long l: w?.WriteNumberValue(l); break;
            case short sh: w?.WriteNumberValue(sh); break;
            case byte by: w?.WriteNumberValue(by); break;
            case uint ui: w?.WriteNumberValue(ui); break;
            case ulong ul: w?.WriteNumberValue(ul); break;
            case decimal m: w?.WriteNumberValue(m); break;
            case double d when double.IsFinite(d): w?.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): w?.WriteNumberValue(f); break;
            case Guid g: w?.WriteStringValue(g.ToString("D")); break;
            case DateTimeOffset dto: w?.WriteStringValue(FormatTime(dto)); break;
            case DateTime { Kind: DateTimeKind.Utc } dt: w?.WriteStringValue(FormatTime(new DateTimeOffset(dt))); break;
            case DateOnly date: w?.WriteStringValue(date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)); break;
            case TimeSpan span: w?.WriteStringValue(span.ToString("c", CultureInfo.InvariantCulture)); break;
            case Enum e: w?.WriteStringValue(e.ToString()); break;
            case IDictionary dictionary:
                if (w is null)
                {
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        if (entry.Key is not string) throw new ArgumentException("Audit data dictionaries need string keys.");
                        WriteValue(null, entry.Value, depth + 1);
                    }
                }
                else
                {
                    WriteObject(w, Entries(dictionary), depth);
                }
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                if (w is null)
                {
                    foreach (var pair in pairs)
                    {
                        if (pair.Key is null) throw new ArgumentException("Audit data keys cannot be null.");
                        WriteValue(null, pair.Value, depth + 1);
                    }
                }
                else
                {
                    WriteObject(w, pairs, depth);
                }
                break;
            case IEnumerable items:
                w?.WriteStartArray();
                foreach (var item in items) WriteValue(w, item, depth + 1);
                w?.WriteEndArray();
                break;
            case DateTime:
                throw new ArgumentException("Audit data times must be UTC: pass a DateTimeOffset or a DateTime of kind Utc.");
            default:
                throw new ArgumentException(
                    $"Audit data cannot hold a {value.GetType().Name}: use strings, numbers, booleans, ids, dates, enums, lists and dictionaries.");
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string key) throw new ArgumentException("Audit data dictionaries need string keys.");
            yield return new KeyValuePair<string, object?>(key, entry.Value);
        }
    }
}

/// <summary>Top-level keys of the canonical payload (ordinal order is the order they are written in).</summary>
internal static class PayloadKeys
{
    public const string Action = "action";
    public const string Actor = "actor";
    public const string At = "at";
    public const string Chain = "chain";
    public const string Data = "data";
    public const string EntityId = "entityId";
    public const string EntityType = "entityType";
    public const string PupilId = "pupilId";
    public const string Sequence = "seq";
    public const string Version = "v";
}
