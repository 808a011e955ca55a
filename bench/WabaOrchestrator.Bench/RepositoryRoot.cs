namespace WabaOrchestrator.Bench;

/// <summary>The checkout the bench runs in: the nearest directory holding WabaOrchestrator.sln or global.json.</summary>
internal static class RepositoryRoot
{
    public static string? Find()
    {
        // The working directory first: with ArtifactsPath set, the binaries live outside the checkout.
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "WabaOrchestrator.sln")) || File.Exists(Path.Combine(directory.FullName, "global.json")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }
}
