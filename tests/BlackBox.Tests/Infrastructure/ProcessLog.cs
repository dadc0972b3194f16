namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// Writes what the child processes of one test printed while it ran to the test's output, which the test
/// runner shows for a failed test. Created in a test class's constructor, disposed with it.
/// </summary>
public sealed class ProcessLog(ITestOutputHelper output) : IDisposable
{
    private readonly List<(ChildProcess Process, int Start)> _watched = [];

    /// <summary>Shows <paramref name="process"/>'s output from now on (a shared process: only this test's part).</summary>
    public void Watch(ChildProcess process) => _watched.Add((process, process.Output.Length));

    public void Dispose()
    {
        foreach (var (process, start) in _watched)
        {
            var text = process.Output;
            output.WriteLine($"--- {process.Name} (pid {process.Id}), output during this test ---");
            output.WriteLine(start < text.Length ? text[start..] : "(nothing)");
        }
    }
}

