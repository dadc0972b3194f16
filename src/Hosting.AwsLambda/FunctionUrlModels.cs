using System.Text.Json.Serialization;

namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// The part of a Lambda Function URL event (API Gateway HTTP API payload format 2.0) that the request
/// mapper reads. Other members of the event (version, route key, stage, authorizer...) are ignored on purpose.
/// </summary>
internal sealed record FunctionUrlRequest
{
    /// <summary>The path as the client sent it, percent-encoding kept.</summary>
    public string? RawPath { get; init; }

    /// <summary>The query string as the client sent it, without <c>?</c>; empty when there is none.</summary>
    public string? RawQueryString { get; init; }

    /// <summary>The <c>Cookie</c> header split into one entry per cookie.</summary>
    public IReadOnlyList<string>? Cookies { get; init; }

    /// <summary>Lower-case header names; repeated headers arrive already joined with commas.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public string? Body { get; init; }

    public bool IsBase64Encoded { get; init; }

    public FunctionUrlRequestContext? RequestContext { get; init; }
}

internal sealed record FunctionUrlRequestContext
{
    public FunctionUrlHttpDescription? Http { get; init; }
}

internal sealed record FunctionUrlHttpDescription
{
    public string? Method { get; init; }

    /// <summary>The address that connected to the Function URL (IPv4 or IPv6, no port).</summary>
    public string? SourceIp { get; init; }
}

/// <summary>What a Function URL expects back: one entry per <c>Set-Cookie</c> in <see cref="Cookies"/>.</summary>
internal sealed record FunctionUrlResponse
{
    public required int StatusCode { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required IReadOnlyList<string> Cookies { get; init; }

    public required string Body { get; init; }

    public required bool IsBase64Encoded { get; init; }
}

/// <summary>The body of a Runtime API <c>/error</c> or <c>/init/error</c> post.</summary>
internal sealed record LambdaErrorPayload
{
    public required string ErrorMessage { get; init; }

    public required string ErrorType { get; init; }
}

/// <summary>The body of an error the hosting layer answers itself: <c>{"error":"..."}</c>.</summary>
internal sealed record HostingErrorBody
{
    public required string Error { get; init; }
}

/// <summary>
/// Source-generated serialization for the Lambda hosting layer: no reflection, so it trims and
/// compiles ahead of time.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FunctionUrlRequest))]
[JsonSerializable(typeof(FunctionUrlResponse))]
[JsonSerializable(typeof(LambdaErrorPayload))]
[JsonSerializable(typeof(HostingErrorBody))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;
