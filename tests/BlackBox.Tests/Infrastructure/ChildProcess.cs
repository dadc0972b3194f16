using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// A child process with its standard output and error captured line by line. Disposing it kills it and
/// its own children; so does the test host's exit, for a process a failed test did not get to dispose.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<(string Stream, string Text)> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Values)
        {
            TryKill(process);
        }
    };

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>What the process is, for messages: e.g. <c>proxy</c>, <c>moto_server</c>.</summary>
    public string Name { get; }

    /// <summary>The process id (kept after the process is gone, for messages).</summary>
    public int Id { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the process exits, however that happens.</summary>
    public Task Exited => _process.WaitForExitAsync();

    /// <summary>Everything the process wrote so far, each line prefixed with its stream.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                var output = new StringBuilder();
                foreach (var (stream, text) in _lines)
                {
                    output.Append('[').Append(stream).Append("] ").Append(text).Append('\n');
                }

                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/>. The child's environment is this process's environment without
    /// any <c>FPJS_*</c>, <c>AWS_*</c> or <c>ASPNETCORE_*</c> variable (so that nothing from the caller's
    /// shell changes what is tested), plus <paramref name="environment"/>.
    /// </summary>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in startInfo.Environment.Keys.ToList())
        {
            if (key.StartsWith("FPJS_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase))
            {
                startInfo.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Append("out", e.Data, child._stdoutClosed);
        process.ErrorDataReceived += (_, e) => child.Append("err", e.Data, child._stderrClosed);
        process.Start();
        child.Id = process.Id;
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to exit on its own and returns its exit code; fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} (pid {Id}) did not exit within {timeout.TotalSeconds:0} s. Its output:\n{Output}");
        }

        // Exited, but the last lines may still be on their way through the pipes.
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(KillTimeout);
        return _process.ExitCode;
    }

    /// <summary>
    /// Returns the first line the process wrote, on either stream and without the stream's prefix, that
    /// <paramref name="match"/> accepts: one already written, or the next one that is. Fails after
    /// <paramref name="timeout"/>, showing the output so far.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_lines.FirstOrDefault(line => match(line.Text)).Text is { } written)
            {
                return written;
            }

            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} (pid {Id}) wrote no such line within {timeout.TotalSeconds:0} s. Its output:\n{Output}");
        }
        finally
        {
            lock (_lock)
            {
                _waiters.RemoveAll(waiter => waiter.Found == found);
            }
        }
    }

    /// <summary>An exception that says what went wrong and shows the process's output so far.</summary>
    public Exception Failure(string what) =>
        new InvalidOperationException($"{Name} (pid {Id}{(HasExited ? $", exited with {_process.ExitCode}" : string.Empty)}): {what}. Its output:\n{Output}");

    public async ValueTask DisposeAsync()
    {
        TryKill(_process);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(KillTimeout);
        }
        catch (TimeoutException)
        {
            // Nothing more can be done from here; the test that owns it reports its own result.
        }

        Running.TryRemove(Id, out _);
        _process.Dispose();
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Append(string stream, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (_lock)
        {
            _lines.Add((stream, line));
            foreach (var (match, found) in _waiters)
            {
                if (match(line))
                {
                    found.TrySetResult(line);
                }
            }
        }
    }
}
