using System.Net;

namespace FingerprintProxy.Secrets;

/// <summary>What went wrong with a GetSecretValue call, by what the operator has to do about it.</summary>
internal enum SecretsManagerErrorKind
{
    /// <summary><c>ResourceNotFoundException</c>: wrong name, wrong region, or the secret has no current value.</summary>
    NotFound,

    /// <summary><c>AccessDeniedException</c>: the role lacks <c>secretsmanager:GetSecretValue</c> on the secret.</summary>
    AccessDenied,

    /// <summary>The credentials were not accepted (unknown key, bad signature, expired token).</summary>
    AuthenticationFailed,

    /// <summary><c>DecryptionFailure</c>: usually a missing <c>kms:Decrypt</c> on a customer-managed key.</summary>
    DecryptionFailure,

    /// <summary><c>InvalidRequestException</c> / <c>InvalidParameterException</c>, e.g. a secret scheduled for deletion.</summary>
    InvalidRequest,

    /// <summary>Throttling (<c>ThrottlingException</c>, HTTP 429). Retried.</summary>
    Throttled,

    /// <summary>A 5xx or <c>InternalServiceError</c>. Retried.</summary>
    ServiceError,

    /// <summary>No answer within the timeout. Retried.</summary>
    Timeout,

    /// <summary>Connection refused, reset or dropped. Retried.</summary>
    Network,

    /// <summary>No AWS credentials could be found.</summary>
    NoCredentials,

    /// <summary>A 200 answer that is not a GetSecretValue result, or a secret with neither string nor binary.</summary>
    InvalidResponse,

    /// <summary>Any other error code.</summary>
    Other,
}

/// <summary>
/// A failed GetSecretValue call. <see cref="Exception.Message"/> is safe to log and show on the status page:
/// it carries the service's error code and message, never the secret.
/// </summary>
internal sealed class SecretsManagerException : Exception
{
    public SecretsManagerException(SecretsManagerErrorKind kind, string message, string? errorCode = null, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    public SecretsManagerErrorKind Kind { get; }

    /// <summary>The service's error code (the <c>__type</c> of its answer), e.g. <c>ResourceNotFoundException</c>.</summary>
    public string? ErrorCode { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>Whether another attempt may succeed: throttling, server errors, timeouts and network failures.</summary>
    public bool IsRetryable => Kind is SecretsManagerErrorKind.Throttled or SecretsManagerErrorKind.ServiceError
        or SecretsManagerErrorKind.Timeout or SecretsManagerErrorKind.Network;

    /// <summary>Maps an error answer (status and <c>__type</c>) to its kind.</summary>
    public static SecretsManagerErrorKind Classify(HttpStatusCode status, string? errorCode) => errorCode switch
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
