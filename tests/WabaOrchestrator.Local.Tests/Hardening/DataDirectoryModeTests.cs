using System.Runtime.Versioning;

namespace WabaOrchestrator.Local.Tests.Hardening;

/// <summary>The data directory holds keys and codes: 0700, every file in it 0600, enforced at every start.</summary>
public sealed class DataDirectoryModeTests
{
    private const UnixFileMode Directory700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Loose = File600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task LoosenedModes_AreFixedAtTheNextStart_IncludingTheDatabasesWalAndShmFiles()
    {
        // Windows has no modes: the directory inherits its parent's ACL (docs/local-host.md).
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var host = await TempLocalHost.StartAsync();
        using (var client = await host.CreateClientAsync(withKey: true))
        {
            // A write, so the engine has its -wal and -shm files open.
            using var listed = await client.GetAsync("api/onboardings");
            listed.EnsureSuccessStatusCode();
        }

        var files = Directory.GetFiles(host.DataDirectory);
        Assert.Contains(files, f => f.EndsWith("durable.db-wal", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("durable.db-shm", StringComparison.Ordinal));
        AssertOwnerOnly(host.DataDirectory);

        File.SetUnixFileMode(host.DataDirectory, Directory700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in Directory.GetFiles(host.DataDirectory))
        {
            File.SetUnixFileMode(file, Loose);
        }

        await host.RestartAsync();

        AssertOwnerOnly(host.DataDirectory);
    }

    [UnsupportedOSPlatform("windows")]
    private static void AssertOwnerOnly(string directory)
    {
        Assert.Equal(Directory700, File.GetUnixFileMode(directory));
        Assert.All(Directory.GetFiles(directory, "*", SearchOption.AllDirectories), f => Assert.True(File.GetUnixFileMode(f) == File600, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
    }
}
