using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsentHub.Web.Api;

/// <summary>
/// Serialisation code generated at build time for the check API's answers (a pupil, a roster, a page of changes),
/// instead of metadata built by reflection: cheaper per response. First in the host's JSON resolver chain, so the
/// host's converters (enums as strings, strict strings) and web defaults still apply; types it does not list fall
/// through to reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PupilConsentDto))]
[JsonSerializable(typeof(RosterDto))]
[JsonSerializable(typeof(ChangesDto))]
internal sealed partial class ConsentApiJson : JsonSerializerContext;
