namespace FingerprintProxy.Tests.Secrets;

/// <summary>A shared credentials file with one profile, as <c>aws configure</c> writes it; deleted on dispose.</summary>
internal sealed class AwsProfile : IDisposable
{
    public const string Name = "proxy-tests";

    private AwsProfile(string path) => Path = path;

    public string Path { get; }

    public static AwsProfile Create(string accessKey, string secretKey, string? sessionToken)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aws-credentials-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, $"[{Name}]\naws_access_key_id = {accessKey}\naws_secret_access_key = {secretKey}\n"
            + (sessionToken is null ? string.Empty : $"aws_session_token = {sessionToken}\n"));
        return new AwsProfile(path);
    }

    public void Dispose() => File.Delete(Path);
}
