using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

// Case-insensitive matches run in PostgreSQL as lower(); EF cannot translate string.Equals with a StringComparison.
#pragma warning disable CA1862

namespace ConsentHub.Photos;

/// <summary>
/// The trust's register of its own cameras, phones and tablets (policy §6.4), kept by the trust admin and the
/// communications director: list, add, remove (kept, marked removed), each change audited. A device matches a
/// photo when make and model are the same (ignoring case and spaces at the ends) and, if the register holds a
/// serial for it, the photo's serial is that serial.
/// </summary>
public sealed class PhotoDeviceRegister(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, TimeProvider clock)
{
    public sealed record Request(string? Make, string? Model, string? Serial, string? OwnerLabel);

    public abstract record Result
    {
        public sealed record Added(Guid DeviceId) : Result;

        public sealed record Invalid(string Field, string Message) : Result;
    }

    public async Task<IReadOnlyList<PhotoDevice>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.PhotoDevices.AsNoTracking().Where(d => d.RemovedAt == null).OrderBy(d => d.Make).ThenBy(d => d.Model).ThenBy(d => d.OwnerLabel).ToListAsync(ct);
    }

    public async Task<Result> AddAsync(string actor, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        static string? Tidy(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var (make, model, serial, label) = (Tidy(request.Make), Tidy(request.Model), Tidy(request.Serial), Tidy(request.OwnerLabel));
        if (make is null) return new Result.Invalid(nameof(Request.Make), "Enter the make as the camera records it, for example Apple or Canon.");
        if (model is null) return new Result.Invalid(nameof(Request.Model), "Enter the model as the camera records it, for example iPhone 13.");
        if (serial is null && label is null) return new Result.Invalid(nameof(Request.Serial), "Enter the serial number, or who holds the device (for example \"North office iPad 2\").");
        foreach (var (field, value) in new[] { (nameof(Request.Make), make), (nameof(Request.Model), model), (nameof(Request.Serial), serial), (nameof(Request.OwnerLabel), label) })
        {
            if (value is { Length: > PhotoDevice.MaxLength }) return new Result.Invalid(field, $"At most {PhotoDevice.MaxLength} characters.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (serial is not null && await db.PhotoDevices.AnyAsync(d => d.RemovedAt == null && d.Serial == serial && d.Make.ToLower() == make.ToLower() && d.Model.ToLower() == model.ToLower(), ct))
            return new Result.Invalid(nameof(Request.Serial), "That device is already on the register.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var device = new PhotoDevice { Id = Guid.CreateVersion7(), Make = make, Model = model, Serial = serial, OwnerLabel = label, AddedBy = actor, AddedAt = clock.GetUtcNow() };
        db.PhotoDevices.Add(device);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, actor, "photo-device.added", "PhotoDevice", device.Id.ToString(), null,
            new Dictionary<string, object?> { ["make"] = make, ["model"] = model, ["serial"] = serial, ["label"] = label }), ct);
        await tx.CommitAsync(ct);
        return new Result.Added(device.Id);
    }

    public async Task<bool> RemoveAsync(string actor, Guid deviceId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var removed = await db.PhotoDevices.Where(d => d.Id == deviceId && d.RemovedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RemovedAt, now).SetProperty(d => d.RemovedBy, actor), ct);
        if (removed == 0) return false;
        await audit.AppendAsync(db, new AuditEvent(null, actor, "photo-device.removed", "PhotoDevice", deviceId.ToString()), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The camera is on the register (a photo naming no camera is not flagged: nothing to compare).</summary>
    public static Task<bool> IsRegisteredAsync(ConsentHubDbContext db, PhotoCamera camera, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(camera);
        if (!camera.Named) return Task.FromResult(true);
        return Registered(db, camera.Make, camera.Model, camera.Serial).AnyAsync(ct);
    }

    internal static IQueryable<PhotoDevice> Registered(ConsentHubDbContext db, string? make, string? model, string? serial) =>
        db.PhotoDevices.Where(d => d.RemovedAt == null && d.Make.Trim().ToLower() == make!.Trim().ToLower() && d.Model.Trim().ToLower() == model!.Trim().ToLower()
            && (d.Serial == null || d.Serial == serial));

    /// <summary>
    /// The camera of a photo in scope when it is named and not on the register: the flag the uploader sees; null
    /// when registered, not named, or the photo is not found.
    /// </summary>
    public async Task<PhotoCamera?> UnregisteredCameraAsync(IReadOnlyList<AccessScope> scopes, Guid photoId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await PhotoAccess.FindAsync(db, scopes, photoId, track: false, ct) is not { Photo: var photo }) return null;
        var camera = new PhotoCamera(photo.CameraMake, photo.CameraModel, photo.CameraSerial);
        return await IsRegisteredAsync(db, camera, ct) ? null : camera;
    }
}
