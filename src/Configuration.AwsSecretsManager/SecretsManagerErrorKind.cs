namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>Why reading or applying the secret failed, by what the operator has to do about it.</summary>
public enum SecretsManagerErrorKind
{
    /// <summary><c>ResourceNotFoundException</c>: wrong name, wrong region, or the secret has no value in the stage.</summary>
    NotFound,

    /// <summary><c>AccessDeniedException</c>: the role lacks <c>secretsmanager:GetSecretValue</c> on the secret.</summary>
    AccessDenied,

    /// <summary>The credentials were not accepted (unknown key, bad signature, expired token).</summary>
    AuthenticationFailed,

    /// <summary><c>DecryptionFailure</c>: usually a missing <c>kms:Decrypt</c> on a customer-managed key.</summary>
    DecryptionFailure,

    /// <summary><c>InvalidRequestException</c> or <c>InvalidParameterException</c>, e.g. a secret scheduled for deletion.</summary>
    InvalidRequest,

    /// <summary>Throttling (<c>ThrottlingException</c>, HTTP 429). Retried.</summary>
    Throttled,

    /// <summary>HTTP 5xx or <c>InternalServiceError</c>. Retried.</summary>
    ServiceError,

    /// <summary>No answer within <see cref="SecretsManagerConfigurationSource.RequestTimeout"/>. Retried.</summary>
    Timeout,

    /// <summary>Connection refused, reset or dropped. Retried.</summary>
    Network,

    /// <summary>No AWS credentials could be found (the default chain found none, or the profile does not exist).</summary>
    NoCredentials,

    /// <summary>An HTTP 200 answer that is not a GetSecretValue result.</summary>
    InvalidResponse,

    /// <summary>The secret was read but rejected: not a JSON object, or a key that appears twice.</summary>
    InvalidSecret,

    /// <summary>Any other error code, or an unexpected failure.</summary>
    Other,
}
