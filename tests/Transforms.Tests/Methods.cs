namespace FingerprintProxy.Transforms.Tests;

/// <summary>The request methods the transform tests run over, each table written once.</summary>
public static class Methods
{
    /// <summary>POST in the letter cases a client may send: the identification request.</summary>
    public static TheoryData<string> Post => ["POST", "post", "Post"];

    /// <summary>Every other method (a lower-case GET included): Fingerprint gets nothing added.</summary>
    public static TheoryData<string> NonPost => ["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "get"];

    /// <summary>Every method, for what applies whatever the method.</summary>
    public static TheoryData<string> All => ["POST", "GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"];
}
