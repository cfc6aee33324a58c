namespace DeliberationFlow.Engine.Definitions;

/// <summary>One thing wrong with a definition: where (a JSON path such as <c>$.activities[2].type</c>) and what to do.</summary>
public sealed record DefinitionProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

public sealed class InvalidWorkflowDefinitionException(string source, IReadOnlyList<DefinitionProblem> problems)
    : Exception($"Workflow definition '{source}' is invalid:{Environment.NewLine}"
                + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public string DefinitionSource { get; } = source;
    public IReadOnlyList<DefinitionProblem> Problems { get; } = problems;
}
