namespace WabaOrchestrator.Local;

public static class Program
{
    public static async Task Main(string[] args) => await LocalApp.Create(args).RunAsync();
}
