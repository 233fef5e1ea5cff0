namespace Sources.Api.Problems;

public static class ProblemServices
{
    /// <summary>
    /// The framework's problem details and exception handling, answering in the contract's shape:
    /// <see cref="ContractProblemWriter"/> ahead of the framework's writer, and
    /// <see cref="Extensions.ErrorHandling"/> as the exception handler.
    /// </summary>
    public static IServiceCollection AddSourcesProblems(this IServiceCollection services)
    {
        services.AddOptions();
        services.AddSingleton<IProblemDetailsWriter, ContractProblemWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<Extensions.ErrorHandling>();
        return services;
    }
}
