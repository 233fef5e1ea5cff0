namespace Sources.Contracts;

public sealed partial class FileUploadConnectionRequest
{
    /// <summary>A file source is named after its first file unless the request names it.</summary>
    partial void OnRead() => AccountName ??= FileUrls[0].Filename;
}
