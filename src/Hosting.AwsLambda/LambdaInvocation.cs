namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>One event handed out by <c>GET /runtime/invocation/next</c>.</summary>
internal sealed record LambdaInvocation
{
    /// <summary><c>Lambda-Runtime-Aws-Request-Id</c>: where the response or error goes.</summary>
    public required string RequestId { get; init; }

    /// <summary><c>Lambda-Runtime-Deadline-Ms</c>, when present.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary><c>Lambda-Runtime-Trace-Id</c>, when present.</summary>
    public string? TraceId { get; init; }

    /// <summary>The event document (a Function URL event, UTF-8 JSON).</summary>
    public required byte[] Event { get; init; }
}
