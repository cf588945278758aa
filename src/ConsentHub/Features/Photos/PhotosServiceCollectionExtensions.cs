using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConsentHub.Photos;

public static class PhotosServiceCollectionExtensions
{
    /// <summary>
    /// Photos: options from "Photos" (checked on start), the face detector (one ONNX session per process), the
    /// PostgreSQL media store, and the use cases. Expects the data, audit and check services.
    /// </summary>
    public static IServiceCollection AddConsentHubPhotos(this IServiceCollection services)
    {
        services.AddOptions<PhotoOptions>()
            .BindConfiguration(PhotoOptions.Section)
            .Validate(o => o.MaxBytes is >= 1024 * 1024 and <= 200L * 1024 * 1024, "Photos:MaxBytes is between 1 MB and 200 MB.")
            .Validate(o => o.MaxPixels is >= 1_000_000 and <= 200_000_000, "Photos:MaxPixels is between 1 and 200 megapixels.")
            .Validate(o => o.KeepUnpublishedDays is >= 1 and <= 365, "Photos:KeepUnpublishedDays is between 1 and 365 (see docs/RETENTION.md).")
            .Validate(o => o.KeepFinishedBatchDays is >= 1 and <= 365, "Photos:KeepFinishedBatchDays is between 1 and 365 (see docs/RETENTION.md).")
            .Validate(o => o.Detector.MinScore is > 0.05f and < 1f, "Photos:Detector:MinScore is between 0.05 and 1.")
            .ValidateOnStart();
        services.AddSingleton(sp => new FaceDetector(sp.GetRequiredService<IOptions<PhotoOptions>>().Value.Detector));
        services.AddSingleton<IMediaStore, PostgresMediaStore>();
        services.AddSingleton<UploadPhoto>();
        services.AddSingleton<TagFace>();
        services.AddSingleton<AddFaceBox>();
        services.AddSingleton<RemoveFaceBox>();
        services.AddSingleton<ReviewPhoto>();
        services.AddSingleton<ExportSafePhoto>();
        services.AddSingleton<RecordPost>();
        services.AddSingleton<DeleteExpiredPhotos>();
        services.AddSingleton<DeleteFinishedPhotoBatches>();
        services.AddSingleton<GetPhotoPreview>();
        services.AddSingleton<GetPhotoExport>();
        services.AddSingleton<ListPhotoUses>();
        services.AddSingleton<ListFamilyPosts>();
        services.AddSingleton<RequestPostTakedown>();
        services.AddSingleton<PhotoDeviceRegister>();
        services.AddSingleton<ListPostRegister>();
        services.AddSingleton<UploadPhotoBatch>();
        services.AddTransient<ProcessPhotoBatch>();
        return services;
    }
}
