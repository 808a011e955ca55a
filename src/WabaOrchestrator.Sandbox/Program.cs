using WabaOrchestrator.Sandbox;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddVonageSandbox();

var app = builder.Build();
app.MapVonageSandbox();
app.Run();

/// <summary>Entry point; public so tests and the bench can reference the assembly's host.</summary>
public partial class Program;
