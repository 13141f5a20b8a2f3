using System.Diagnostics;
using System.Text;
using Recovery.Journeys.CrashWorker;

namespace Recovery.Journeys.Reliability.Tests;

/// <summary>
/// One run of the worker executable (Recovery.Journeys.CrashWorker), started with <c>dotnet &lt;dll&gt;</c>: killed with
/// SIGKILL to simulate a crash, or stopped gracefully by closing its standard input.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private WorkerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the worker wrote to its standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the worker; <paramref name="arguments"/> follow the worker's own usage line.</summary>
    public static WorkerProcess Start(string name, params string[] arguments) => Start(name, new Dictionary<string, string>(), arguments);

    /// <summary>Starts the worker with these environment variables set (the kill points of <c>CRASH_WORKER_KILL_AT</c>).</summary>
    public static WorkerProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        start.ArgumentList.Add(typeof(ReliabilityJourneys).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(name, process);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Kills the process at once (SIGKILL on Linux: no shutdown code runs) and returns once it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for the worker to end on its own (it killed itself) and returns its exit code: 137 for a SIGKILL.</summary>
    public async Task<int> ExitedAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Worker {Name} did not end within {timeout.TotalSeconds:F0} s. Its output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Closes the worker's standard input, which it takes as "stop", and waits for it to exit cleanly.</summary>
    public async Task StopAsync()
    {
        _process.StandardInput.Close();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Worker {Name} did not stop within 30 s of its standard input closing. Its output:\n{Output}");
        }

        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Worker {Name} exited with code {_process.ExitCode}. Its output:\n{Output}");
        }
    }

    /// <summary>Throws, with the worker's output, if it exited on its own.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"Worker {Name} exited on its own with code {_process.ExitCode}. Its output:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    /// <summary>The dotnet host the test runs on (the SDK sets DOTNET_HOST_PATH for the processes it starts).</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
