using FingerprintProxy.Hosting.AwsLambda;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Health;

/// <summary>What the process says when it cannot start: the reason on standard error (and to Lambda), exit code 1.</summary>
internal static class StartupFailure
{
    public static async Task<int> ReportAsync(IConfiguration? configuration, Exception exception)
    {
        if (LambdaStartupFailure.IsLambda(configuration))
        {
            // Writes the reason to standard error and posts it to /init/error.
            await LambdaStartupFailure.ReportAsync(configuration, exception);
            return 1;
        }

        var reason = Describe(exception);
        await Console.Error.WriteLineAsync(reason);
        return 1;
    }

    /// <summary>Configuration errors as their messages (each names its setting); anything else as its type and message.</summary>
    internal static string Describe(Exception exception)
    {
        var failures = (exception is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [exception])
            .OfType<OptionsValidationException>()
            .SelectMany(e => e.Failures)
            .ToArray();
        return failures.Length > 0
            ? "Invalid configuration: " + string.Join(" ", failures)
            : "Start-up failed: " + exception.GetType().Name + ": " + exception.Message;
    }
}
