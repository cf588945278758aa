using System.Globalization;
using System.Runtime.InteropServices;
using ConsentHub.Benchmarks;
using ConsentHub.Hosting;

// Printed forms are timed in process, without a database: see FormsBenchmark.
if (args is ["forms", ..]) return FormsBenchmark.Run();

// Photos (face detection, hiding faces, encoding) are timed in process, without a database: see PhotosBenchmark.
if (args is ["photos", ..]) return PhotosBenchmark.Run();

// The MIS import and issuing the form are timed in process, without wrk: see ImportBenchmark and IssueBenchmark.
// Signing is loaded by in-process signers against the real host (each needs its own cookies): see SigningBenchmark.
// The rollover and the retention purge are timed in process on the large trust: see JobsBenchmark.
if (args is ["import", ..] or ["issue", ..] or ["signing", ..] or ["chase", ..] or ["send", ..] or ["jobs", ..] or ["check", ..])
{
    // Ctrl+C cancels the run, so the cluster is still stopped and its folder deleted.
    using var cancel = new CancellationTokenSource();
    using var onCtrlC = PosixSignalRegistration.Create(PosixSignal.SIGINT, s => { s.Cancel = true; cancel.Cancel(); });
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, s => { s.Cancel = true; cancel.Cancel(); });
    try
    {
        return args[0] switch
        {
            "issue" => await IssueBenchmark.RunAsync(cancel.Token),
            "chase" => await ChaseBenchmark.RunAsync(send: false, cancel.Token),
            "send" => await ChaseBenchmark.RunAsync(send: true, cancel.Token),
            "jobs" => await JobsBenchmark.RunAsync(cancel.Token),
            "check" => await CheckBenchmark.RunAsync(cancel.Token),
            "signing" => await ConsentHub.Benchmarks.App.SigningBenchmark.RunAsync(args, cancel.Token),
            _ => await ImportBenchmark.RunAsync(cancel.Token),
        };
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
}

if (!BenchmarkOptions.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync(error + "\n" + BenchmarkOptions.Usage);
    return 2;
}

if (options.Scenarios.Contains("list", StringComparer.OrdinalIgnoreCase))
{
    foreach (var s in Scenarios.Create())
        Console.WriteLine($"{s.Name,-20} {s.Description}");
    return 0;
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
                $"[{scenario.Name}] measuring {options.Duration.TotalSeconds:F0} s: {options.Connections} connections, {options.Threads} threads"));
            results.Add(await wrk.RunAsync(scenario.Name, target, options, options.Duration, stop.Token));
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
    if (options.OutFile is not null)
    {
        var header = string.Create(CultureInfo.InvariantCulture,
            $"wrk, {options.Threads} threads, {options.Connections} connections, {options.Duration.TotalSeconds:F0} s after {options.WarmUp.TotalSeconds:F0} s warm-up; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC\n\n");
        await File.WriteAllTextAsync(options.OutFile, header + ResultsTable.ToMarkdown(results));
        Console.WriteLine($"Written to {options.OutFile}");
    }
}
return exitCode;
