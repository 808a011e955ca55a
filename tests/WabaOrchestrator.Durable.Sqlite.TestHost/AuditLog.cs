namespace WabaOrchestrator.Durable.Sqlite.TestHost;

/// <summary>
/// An append-only file with one line per activity execution, "instanceId step", so a test can count executions across
/// process kills. Each line is one small append (a single write), so a kill leaves whole lines; a torn last line is
/// skipped by <see cref="Read"/>.
/// </summary>
public sealed class AuditLog(string path)
{
    private readonly Lock _gate = new();

    public void Append(string instanceId, int step)
    {
        lock (_gate)
        {
            File.AppendAllText(path, $"{instanceId} {step}\n");
        }
    }

    public int Count(string instanceId, int step)
    {
        lock (_gate)
        {
            return Read(path).Count(e => e.InstanceId == instanceId && e.Step == step);
        }
    }

    public static IReadOnlyList<AuditEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var entries = new List<AuditEntry>();
        foreach (var line in File.ReadAllText(path).Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && int.TryParse(parts[1], out var step))
            {
                entries.Add(new AuditEntry(parts[0], step));
            }
        }

        return entries;
    }
}

public sealed record AuditEntry(string InstanceId, int Step);
