using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Engine.Definitions;

/// <summary>
/// The definitions loaded from a folder of JSON files at start-up. A file that does not read or validate
/// stops the start with a message naming the file and every JSON path that is wrong.
/// </summary>
public sealed class WorkflowDefinitionCatalog : IWorkflowDefinitionProvider
{
    private readonly Dictionary<(string, int), WorkflowDefinition> _definitions;

    public WorkflowDefinitionCatalog(IEnumerable<WorkflowDefinition> definitions)
    {
        _definitions = [];
        foreach (var definition in definitions)
        {
            if (!_definitions.TryAdd((definition.DefinitionId, definition.Version), definition))
            {
                throw new InvalidOperationException($"Workflow '{definition.DefinitionId}' v{definition.Version} is defined twice.");
            }
        }
    }

    public static WorkflowDefinitionCatalog LoadFolder(string folder, IActivityRegistry activities)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The workflow folder '{folder}' does not exist; set Workflows:Path to the folder holding the *.json definitions.");
        }

        var validator = new WorkflowDefinitionValidator(activities);
        var definitions = new List<WorkflowDefinition>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var read = WorkflowDefinitionReader.Read(File.ReadAllText(file));
            var problems = validator.Validate(read, DefinitionValidationContext.Empty);
            if (problems.Count > 0)
            {
                throw new InvalidWorkflowDefinitionException(file, problems);
            }

            definitions.Add(read.Definition!);
        }

        return new WorkflowDefinitionCatalog(definitions);
    }

    public IReadOnlyCollection<WorkflowDefinition> All => _definitions.Values;
}
