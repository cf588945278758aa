using System.Globalization;
using System.Runtime.InteropServices;
using ConsentHub.Benchmarks;
using ConsentHub.Hosting;

// One registry names every benchmark with what it measures and its goal (Registry.cs); `list` prints it.
if (args is ["list", ..])
{
    Console.Write(Registry.ListText());
    return 0;
}

// In-process benchmarks run as their own programs (each needs its own data, host or cookies, not wrk); `all` runs
// them first, in the registry's order, then the wrk scenarios below.
var runAll = args.Contains("all", StringComparer.OrdinalIgnoreCase);
var inProcess = runAll
    ? Registry.All.Where(e => e.Kind == BenchmarkKind.InProcess).ToList()
    : args.Length > 0 && Registry.Find(args[0]) is { Kind: BenchmarkKind.InProcess } single ? [single] : [];
if (inProcess.Count > 0)
{
    // Ctrl+C cancels the run, so the cluster is still stopped and its folder deleted.
    using var cancel = new CancellationTokenSource();
    using var onCtrlC = PosixSignalRegistration.Create(PosixSignal.SIGINT, s => { s.Cancel = true; cancel.Cancel(); });
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, s => { s.Cancel = true; cancel.Cancel(); });
    var worst = 0;
    foreach (var entry in inProcess)
    {
        Console.WriteLine($"== {entry.Name}: {entry.Measures}; goal: {entry.Goal}; {Registry.MachineLoad()} at start");
        try
        {
            var code = await entry.Run!(runAll ? [] : args[1..], cancel.Token);
            worst = Math.Max(worst, code);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
        catch (PostgresNotAvailableException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        Console.WriteLine($"== {entry.Name} done; {Registry.MachineLoad()} at end");
    }
    if (!runAll) return worst;
}

if (!BenchmarkOptions.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync(error + "\n" + BenchmarkOptions.Usage);
    return 2;
}

if (!Scenarios.TryResolve(options.Scenarios, out var scenarios, out error))
{
    await Console.Error.WriteLineAsync(error);
    return 2;
}

// Ctrl+C (and SIGTERM) cancel the run instead of killing the process, so the finally blocks below still stop
// the servers and the PostgreSQL cluster and delete its temporary folder.
using var stop = new CancellationTokenSource();
void RequestStop(PosixSignalContext signal)
{
    signal.Cancel = true;
    if (!stop.IsCancellationRequested) Console.Error.WriteLine("Stopping: cleaning up...");
    stop.Cancel();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

var wrk = await WrkRunner.LocateOrInstallAsync(stop.Token);
if (wrk is null) return 3;

var results = new List<WrkResult>();
var exitCode = 0;
try
{
    Console.WriteLine("Starting a private PostgreSQL cluster...");
    using var cluster = BenchmarkCluster.Start();
    var context = new BenchmarkContext(cluster.Cluster, options);
    // The large trust's host is shared by scenarios; it must stop before the cluster does.
    await using var releaseShared = new AsyncCallbackDisposable(ConsentHub.Benchmarks.App.LargeTrust.ReleaseAsync);

    foreach (var scenario in scenarios)
    {
        stop.Token.ThrowIfCancellationRequested();
        Console.WriteLine($"[{scenario.Name}] {scenario.Description}");
        try
        {
            var target = await scenario.SetupAsync(context, stop.Token);
            Console.WriteLine($"[{scenario.Name}] warm-up {options.WarmUp.TotalSeconds:F0} s against {target.Url}");
            await wrk.RunAsync(scenario.Name, target, options, options.WarmUp, stop.Token);
            Console.WriteLine(FormattableString.Invariant(
                $"[{scenario.Name}] measuring {options.Duration.TotalSeconds:F0} s: {options.Connections} connections, {options.Threads} threads; {Registry.MachineLoad()}"));
            results.Add(await wrk.RunAsync(scenario.Name, target, options, options.Duration, stop.Token));
            Console.WriteLine($"[{scenario.Name}] done; {Registry.MachineLoad()}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One broken scenario should not cost the others' numbers; the exit code still reports it.
            await Console.Error.WriteLineAsync($"[{scenario.Name}] failed: {e}");
            exitCode = 1;
        }
        finally
        {
            await scenario.TeardownAsync();
        }
    }
}
catch (OperationCanceledException)
{
    await Console.Error.WriteLineAsync("Cancelled.");
    exitCode = 130;
}
catch (PostgresNotAvailableException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

if (results.Count > 0)
{
    Console.WriteLine();
    Console.Write(ResultsTable.ToText(results));
    // The goal is a ratio taken in the same run, so the machine's load cancels out as far as it can.
    var check = results.FirstOrDefault(r => r.Scenario == "check-api");
    foreach (var floor in results.Where(r => r.Scenario.StartsWith("raw-baseline", StringComparison.Ordinal)))
    {
        if (check is null || floor.RequestsPerSecond <= 0) break;
        Console.WriteLine(FormattableString.Invariant(
            $"check-api / {floor.Scenario}: {check.RequestsPerSecond / floor.RequestsPerSecond:F2}x req/s"));
    }
    if (options.OutFile is not null)
    {
        var header = string.Create(CultureInfo.InvariantCulture,
            $"wrk, {options.Threads} threads, {options.Connections} connections, {options.Duration.TotalSeconds:F0} s after {options.WarmUp.TotalSeconds:F0} s warm-up; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC\n\n");
        await File.WriteAllTextAsync(options.OutFile, header + ResultsTable.ToMarkdown(results));
        Console.WriteLine($"Written to {options.OutFile}");
    }
}
return exitCode;
