using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using WabaOrchestrator.Bench;

// Usage: dotnet run -c Release --project bench/WabaOrchestrator.Bench -- [name ...] [--quick] [--out FILE]
// With no names every benchmark runs and the report is written to docs/benchmarks.md at the repository root;
// with names it is only printed (a partial run must not overwrite the full report) unless --out says where.
if (args is [SandboxCeilingServer.Argument, var ceilingPort])
{
    await SandboxCeilingServer.RunAsync(int.Parse(ceilingPort, CultureInfo.InvariantCulture));
    return 0;
}

var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
if (outIndex >= 0 && outIndex + 1 >= args.Length)
{
    Console.Error.WriteLine("--out needs a file name.");
    return 2;
}

var names = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (outIndex < 0 || i != outIndex + 1)).ToHashSet(StringComparer.OrdinalIgnoreCase);
var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var unknown = names.Except(benchmarks.Select(b => b.Name), StringComparer.OrdinalIgnoreCase).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown benchmark(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}

var outFile = outIndex >= 0 ? Path.GetFullPath(args[outIndex + 1])
    : names.Count == 0 ? RepositoryRoot.Find() is { } root ? Path.Combine(root, "docs", "benchmarks.md") : null
    : null;

var selected = benchmarks.Where(b => names.Count == 0 || names.Contains(b.Name)).ToList();
var facts = MachineFacts.AtStart(quick, selected.Select(b => b.Name).ToList());
var clock = Stopwatch.StartNew();
var sections = new List<BenchSection>();
foreach (var benchmark in selected)
{
    Console.Error.WriteLine($"Running {benchmark.Name}: {benchmark.Description}");
    var took = Stopwatch.StartNew();
    IReadOnlyList<BenchResult> results;
    try
    {
        results = await benchmark.RunAsync(new BenchContext(quick), CancellationToken.None);
    }
    catch (Exception e)
    {
        // One broken benchmark must not cost the figures of all the others: the report says it failed.
        Console.Error.WriteLine($"{benchmark.Name} failed: {e}");
        results = [new($"benchmark failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}", 0, "error", "runs to the end", false)];
    }

    sections.Add(new BenchSection(benchmark.Name, benchmark.Description, results, took.Elapsed));
    Console.Error.WriteLine($"  {benchmark.Name} took {took.Elapsed.TotalSeconds:0} s");
}

var report = BenchReport.Render(facts.AtEnd(clock.Elapsed), sections);
Console.WriteLine(report);
if (outFile is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
    await File.WriteAllTextAsync(outFile, report);
    Console.Error.WriteLine($"Wrote {outFile}");
}

var missed = sections.SelectMany(s => s.Results).Count(r => r.Met == false);
Console.Error.WriteLine(missed == 0 ? "All targets met." : $"{missed} target(s) NOT met (see the summary).");
return 0;
