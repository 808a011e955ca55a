// Stand-in for exactly the SDK members src/WabaOrchestrator.Functions uses, declared from the public signatures of:
//
//   Microsoft.DurableTask.Abstractions / .Client 1.x, as pulled in by Microsoft.Azure.Functions.Worker.Extensions.DurableTask 1.18.0
//     microsoft/durabletask-dotnet: src/Abstractions/TaskOrchestrationContext.cs, TaskName.cs, TaskOptions.cs,
//     TaskRetryOptions.cs, RetryPolicy.cs, TaskFailedException.cs, TaskFailureDetails.cs, AsyncPageable.cs, Page.cs;
//     src/Client/Core/DurableTaskClient.cs, OrchestrationMetadata.cs, OrchestrationQuery.cs, OrchestrationRuntimeStatus.cs,
//     PurgeResult.cs
//   Microsoft.Azure.Functions.Worker.Extensions.DurableTask 1.18.0
//     Azure/azure-functions-durable-extension: src/Worker.Extensions.DurableTask/OrchestrationTriggerAttribute.cs,
//     ActivityTriggerAttribute.cs, DurableClientAttribute.cs
//   Microsoft.Azure.Functions.Worker 2.52.0 (Core) and Microsoft.Azure.Functions.Worker.Sdk 2.0.7
//     Azure/azure-functions-dotnet-worker: src/DotNetWorker.Core/FunctionAttribute.cs,
//     src/DotNetWorker.Core/Context/FunctionContext.cs, Context/BindingContext.cs,
//     src/DotNetWorker/Builder/FunctionsApplication.cs, Builder/FunctionsApplicationBuilder.cs
//   Microsoft.Azure.Functions.Worker.Extensions.Http 3.3.0 and .Http.AspNetCore 2.0.4
//     Azure/azure-functions-dotnet-worker: extensions/Worker.Extensions.Http/src/HttpTriggerAttribute.cs,
//     AuthorizationLevel.cs; extensions/Worker.Extensions.Http.AspNetCore/src/FunctionsApplicationBuilderAspNetCoreExtensions.cs
//
// Written from those signatures (namespaces, abstract/virtual, parameter names and defaults); no upstream code is copied.
// Members are abstract or virtual exactly where upstream has them, so Moq intercepts what it would on the real types.
// Bodies exist only where upstream has a concrete member; they do the documented minimum. Keep this file list in step
// with the versions in Directory.Packages.props.
namespace AzureFunctionsSdkStandIn;

internal static class SdkVersions
{
    public const string FunctionsWorker = "2.52.0";
    public const string DurableTaskExtension = "1.18.0";
}
