using System.Net;

namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>
/// A failed read of the secret. <see cref="Exception.Message"/> is safe to log and show: it carries the
/// service's error code and message, or the position of a JSON error, never a value of the secret.
/// </summary>
public sealed class SecretsManagerException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">A message that holds no secret value.</param>
    /// <param name="errorCode">The service's error code, when it sent one.</param>
    /// <param name="statusCode">The HTTP status of the answer, when there was one.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public SecretsManagerException(SecretsManagerErrorKind kind, string message, string? errorCode = null, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>What went wrong.</summary>
    public SecretsManagerErrorKind Kind { get; }

    /// <summary>The service's error code (the <c>__type</c> of its answer), e.g. <c>ResourceNotFoundException</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The HTTP status of the service's answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Whether another attempt may succeed: throttling, server errors, timeouts and network failures.</summary>
    public bool IsRetryable => Kind is SecretsManagerErrorKind.Throttled or SecretsManagerErrorKind.ServiceError
        or SecretsManagerErrorKind.Timeout or SecretsManagerErrorKind.Network;

    internal static SecretsManagerErrorKind Classify(HttpStatusCode status, string? errorCode) => errorCode switch
    {
        "ResourceNotFoundException" => SecretsManagerErrorKind.NotFound,
        "AccessDeniedException" or "AccessDenied" => SecretsManagerErrorKind.AccessDenied,
        "UnrecognizedClientException" or "InvalidSignatureException" or "IncompleteSignature" or "IncompleteSignatureException"
            or "SignatureDoesNotMatch" or "MissingAuthenticationToken" or "MissingAuthenticationTokenException"
            or "InvalidClientTokenId" or "ExpiredToken" or "ExpiredTokenException" => SecretsManagerErrorKind.AuthenticationFailed,
        "DecryptionFailure" => SecretsManagerErrorKind.DecryptionFailure,
        "InvalidRequestException" or "InvalidParameterException" => SecretsManagerErrorKind.InvalidRequest,
        "ThrottlingException" or "Throttling" or "TooManyRequestsException" or "RequestLimitExceeded"
            or "RequestThrottled" or "RequestThrottledException" => SecretsManagerErrorKind.Throttled,
        "InternalServiceError" or "InternalFailure" or "ServiceUnavailable" or "ServiceUnavailableException" => SecretsManagerErrorKind.ServiceError,
        _ when status == HttpStatusCode.TooManyRequests => SecretsManagerErrorKind.Throttled,
        _ when (int)status >= 500 => SecretsManagerErrorKind.ServiceError,
        _ => SecretsManagerErrorKind.Other,
    };
}
