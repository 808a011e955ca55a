namespace WabaOrchestrator.Durable;

/// <summary>Why a task failed, as recorded in history (the shape of <c>TaskFailureDetails</c>).</summary>
public sealed record FailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null)
{
    public static FailureDetails FromException(Exception exception) =>
        new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace);

    /// <summary>True when the failure was caused by an exception of type <typeparamref name="T"/> (by full name).</summary>
    public bool IsCausedBy<T>() where T : Exception => ErrorType == typeof(T).FullName;
}
