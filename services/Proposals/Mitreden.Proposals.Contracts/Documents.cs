namespace Mitreden.Proposals.Contracts;

/// <summary>Documents staff attach to a process (optionally to one of its phases or items): minutes, reports, plans.</summary>
public static class DocumentLimits
{
    public const long MaxBytes = 20L * 1024 * 1024;
    public const int MaxPerProcess = 200;
    public const int TitleMax = 200;
    public const int FileNameMax = 200;

    /// <summary>What a multipart upload of <see cref="MaxBytes"/> may add around the file (boundaries, title, ids).</summary>
    public const long MultipartOverheadBytes = 64 * 1024;
}

/// <param name="Kind">What the content is, found from the bytes: pdf, png, jpeg, docx, xlsx, pptx, odt, ods, odp.</param>
/// <param name="EventId">The event the document belongs to (minutes, slides), if any.</param>
public sealed record ProcessDocument(Guid Id, Guid ProcessId, Guid? PhaseId, Guid? ItemId, string Title, string FileName, string Kind,
    string ContentType, long Size, DateTimeOffset UploadedAt, Guid? EventId = null);
