using System.Text.Json;
using DeliberationFlow.Council.Definitions;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Server.Web;

namespace DeliberationFlow.Server.Components.Studio.Designer;

/// <summary>
/// What the studio's designer edits: one workflow definition, changed only through commands that can be undone.
/// It knows nothing of the canvas; the canvas draws it and calls its commands. Each command replaces the
/// (immutable) definition with a new one and keeps the previous one on the undo stack, so undo and redo are exact
/// and cheap even for large workflows (records share their unchanged parts).
/// </summary>
public sealed class DesignerState
{
    public const double DefaultWidth = 200;
    public const double DefaultHeight = 70;

    private const int MaxUndo = 200;

    private readonly IActivityRegistry _activities;
    private readonly LinkedList<(WorkflowDefinition Definition, UiText Label)> _undo = new();
    private readonly Stack<(WorkflowDefinition Definition, UiText Label)> _redo = new();
    private WorkflowDefinition _saved;

    public DesignerState(IActivityRegistry activities, WorkflowDefinition definition)
    {
        _activities = activities;
        Definition = definition;
        _saved = definition;
    }

    /// <summary>Reads a definition document; the read problems (JSON paths) come back instead of a state when it does not read.</summary>
    public static DesignerLoadResult Load(IActivityRegistry activities, string document)
    {
        var read = WorkflowDefinitionReader.Read(document);
        return read.Definition is null
            ? new DesignerLoadResult(null, read.Problems)
            : new DesignerLoadResult(new DesignerState(activities, read.Definition), []);
    }

    /// <summary>Raised after every change (command, undo, redo, selection) so the canvas and panels redraw.</summary>
    public event Action? Changed;

    public WorkflowDefinition Definition { get; private set; }

    public IReadOnlyList<ActivityDefinition> Activities => Definition.Activities;

    public IReadOnlyList<Connection> Connections => Definition.Connections;

    public string? SelectedActivityId { get; private set; }

    public ActivityDefinition? SelectedActivity => SelectedActivityId is { } id ? Find(id) : null;

    /// <summary>The last validation, or null when the definition changed since.</summary>
    public DesignerValidation? Validation { get; private set; }

    public bool CanUndo => _undo.Count > 0;

    public bool CanRedo => _redo.Count > 0;

    public string? UndoLabel => UndoText?.ToString();

    public string? RedoLabel => RedoText?.ToString();

    /// <summary>What undo would take back, as a text the page localizes (German format with its arguments).</summary>
    public UiText? UndoText => _undo.Last?.Value.Label;

    public UiText? RedoText => _redo.TryPeek(out var top) ? top.Label : null;

    /// <summary>True when the definition differs from what was loaded or last saved.</summary>
    public bool IsDirty => !ReferenceEquals(Definition, _saved);

    public IActivityRegistry Registry => _activities;

    public ActivityDefinition? Find(string activityId) => Definition.Activities.FirstOrDefault(a => a.Id == activityId);

    public ActivityDescriptor? DescriptorOf(string type) => _activities.Find(type)?.Descriptor;

    /// <summary>The outcome ports of one activity as the engine sees them (they may depend on its properties).</summary>
    public IReadOnlyList<string> OutcomesOf(string activityId)
    {
        var activity = Find(activityId);
        if (activity is null || _activities.Find(activity.Type) is not { } type)
        {
            return [];
        }

        try
        {
            return type.OutcomesOf(activity);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Half-edited properties must not break the canvas; the validator reports them.
            return type.Descriptor.Outcomes;
        }
    }

    /// <summary>Connections that leave through a port the activity does not have (any more), e.g. after its outcomes changed.</summary>
    public IReadOnlyList<Connection> DanglingConnections(string activityId)
    {
        var outcomes = OutcomesOf(activityId);
        return Definition.Connections.Where(c => c.Source == activityId && !outcomes.Contains(c.Outcome, StringComparer.Ordinal)).ToList();
    }

    public void Select(string? activityId)
    {
        SelectedActivityId = activityId is not null && Find(activityId) is null ? null : activityId;
        Changed?.Invoke();
    }

    public string AddActivity(string type, double x, double y, IReadOnlyDictionary<string, JsonElement>? properties = null, string? displayName = null)
    {
        if (_activities.Find(type) is null)
        {
            throw new DesignerCommandException($"Unbekannter Aktivitätstyp '{type}'; bekannt sind: {string.Join(", ", _activities.Descriptors.Select(d => d.Type).Order(StringComparer.Ordinal))}.");
        }

        var id = NewId(type);
        var activity = new ActivityDefinition
        {
            Id = id,
            Type = type,
            DisplayName = displayName,
            Properties = properties is null ? new Dictionary<string, JsonElement>() : new Dictionary<string, JsonElement>(properties),
            Designer = new DesignerPosition(Math.Round(x), Math.Round(y), DefaultWidth, DefaultHeight),
        };
        Apply(new UiText("{0} hinzugefügt", displayName ?? DescriptorOf(type)!.DisplayName), Definition with { Activities = [.. Definition.Activities, activity] });
        SelectedActivityId = id;
        Changed?.Invoke();
        return id;
    }

    public void MoveActivity(string activityId, double x, double y)
    {
        var activity = Require(activityId);
        var position = activity.Designer ?? new DesignerPosition(0, 0, DefaultWidth, DefaultHeight);
        var moved = position with { X = Math.Round(x), Y = Math.Round(y) };
        if (moved == activity.Designer)
        {
            return;
        }

        Apply(new UiText("'{0}' verschoben", activityId), Replace(activity with { Designer = moved }));
    }

    public void RemoveActivity(string activityId)
    {
        Require(activityId);
        Apply(new UiText("'{0}' entfernt", activityId), Definition with
        {
            Activities = Definition.Activities.Where(a => a.Id != activityId).ToList(),
            Connections = Definition.Connections.Where(c => c.Source != activityId && c.Target != activityId).ToList(),
        });
        if (SelectedActivityId == activityId)
        {
            SelectedActivityId = null;
            Changed?.Invoke();
        }
    }

    /// <summary>Connects an outcome port to a target; a port holds one connection, so an earlier one is replaced.</summary>
    public void Connect(string sourceId, string outcome, string targetId)
    {
        Require(sourceId);
        Require(targetId);
        var outcomes = OutcomesOf(sourceId);
        if (!outcomes.Contains(outcome, StringComparer.Ordinal))
        {
            throw new DesignerCommandException(outcomes.Count == 0
                ? $"'{sourceId}' hat keine Ausgänge; es beendet den Ablauf."
                : $"'{sourceId}' hat keinen Ausgang '{outcome}'; vorhanden: {string.Join(", ", outcomes)}.");
        }

        if (Definition.FindConnection(sourceId, outcome) is { } existing && existing.Target == targetId)
        {
            return;
        }

        var connections = Definition.Connections.Where(c => !(c.Source == sourceId && c.Outcome == outcome)).Append(new Connection(sourceId, outcome, targetId)).ToList();
        Apply(new UiText("'{0}' ({1}) → '{2}' verbunden", sourceId, outcome, targetId), Definition with { Connections = connections });
    }

    public void Disconnect(string sourceId, string outcome)
    {
        if (Definition.FindConnection(sourceId, outcome) is null)
        {
            return;
        }

        Apply(new UiText("Verbindung '{0}' ({1}) gelöst", sourceId, outcome), Definition with
        {
            Connections = Definition.Connections.Where(c => !(c.Source == sourceId && c.Outcome == outcome)).ToList(),
        });
    }

    /// <summary>Sets one property; null (or an empty text or list) removes it, so optional properties fall back to their defaults.</summary>
    public void SetProperty(string activityId, string name, JsonElement? value)
    {
        var activity = Require(activityId);
        var properties = new Dictionary<string, JsonElement>(activity.Properties);
        if (value is not { } set || IsEmpty(set))
        {
            if (!properties.Remove(name))
            {
                return;
            }
        }
        else
        {
            if (properties.TryGetValue(name, out var old) && JsonElement.DeepEquals(old, set))
            {
                return;
            }

            properties[name] = set.Clone();
        }

        Apply(new UiText("'{0}' von '{1}' geändert", name, activityId), Replace(activity with { Properties = properties }));
    }

    public void SetText(string activityId, string name, string? text) =>
        SetProperty(activityId, name, string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.SerializeToElement(text));

    public void SetBoolean(string activityId, string name, bool? value) =>
        SetProperty(activityId, name, value is null ? null : JsonSerializer.SerializeToElement(value.Value));

    public void SetNumber(string activityId, string name, double? value) =>
        SetProperty(activityId, name, value is null ? null : JsonSerializer.SerializeToElement(value.Value));

    public void SetTextList(string activityId, string name, IEnumerable<string>? values)
    {
        var list = values?.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        SetProperty(activityId, name, list is null or { Count: 0 } ? null : JsonSerializer.SerializeToElement(list));
    }

    public void SetDisplayName(string activityId, string? displayName)
    {
        var activity = Require(activityId);
        var name = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if (name == activity.DisplayName)
        {
            return;
        }

        Apply(new UiText("Bezeichnung von '{0}' geändert", activityId), Replace(activity with { DisplayName = name }));
    }

    /// <summary>Gives an activity a new id; its connections and the decisions that refer to it ('of') follow.</summary>
    public void RenameActivity(string activityId, string newId)
    {
        Require(activityId);
        newId = newId.Trim();
        if (newId.Length == 0 || newId == activityId)
        {
            return;
        }

        if (Find(newId) is not null)
        {
            throw new DesignerCommandException($"Die Kennung '{newId}' ist schon vergeben; wählen Sie eine andere.");
        }

        var ofValue = JsonSerializer.SerializeToElement(newId);
        var activities = Definition.Activities.Select(a =>
        {
            var renamed = a.Id == activityId ? a with { Id = newId } : a;
            if (renamed.GetString("of") == activityId)
            {
                renamed = renamed with { Properties = new Dictionary<string, JsonElement>(renamed.Properties) { ["of"] = ofValue } };
            }

            return renamed;
        }).ToList();
        var connections = Definition.Connections
            .Select(c => new Connection(c.Source == activityId ? newId : c.Source, c.Outcome, c.Target == activityId ? newId : c.Target))
            .ToList();
        Apply(new UiText("'{0}' in '{1}' umbenannt", activityId, newId), Definition with { Activities = activities, Connections = connections });
        if (SelectedActivityId == activityId)
        {
            SelectedActivityId = newId;
            Changed?.Invoke();
        }
    }

    public void SetInfo(string name, string? description)
    {
        var cleanName = name.Trim();
        var cleanDescription = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (cleanName == Definition.Name && cleanDescription == Definition.Description)
        {
            return;
        }

        Apply(new UiText("Name und Beschreibung geändert"), Definition with { Name = cleanName, Description = cleanDescription });
    }

    /// <summary>Places every activity by the flow's structure: one command, so one undo restores the old picture.</summary>
    public void AutoLayout()
    {
        var positions = DesignerLayout.Arrange(Definition, _activities);
        var activities = Definition.Activities.Select(a => a with { Designer = positions[a.Id] }).ToList();
        Apply(new UiText("Automatisch angeordnet"), Definition with { Activities = activities });
    }

    /// <summary>
    /// A document without designer positions (written by hand or by another tool) is laid out once when it is opened.
    /// That is no edit of the admin's: it is not on the undo stack and does not make the designer dirty.
    /// </summary>
    public bool ArrangeUnplaced()
    {
        if (Definition.Activities.All(a => a.Designer is not null))
        {
            return false;
        }

        var positions = DesignerLayout.Arrange(Definition, _activities);
        Definition = Definition with { Activities = Definition.Activities.Select(a => a with { Designer = a.Designer ?? positions[a.Id] }).ToList() };
        _saved = Definition;
        return true;
    }

    public void Undo()
    {
        if (_undo.Last is not { } last)
        {
            return;
        }

        _undo.RemoveLast();
        _redo.Push((Definition, last.Value.Label));
        SetDefinition(last.Value.Definition);
    }

    public void Redo()
    {
        if (!_redo.TryPop(out var next))
        {
            return;
        }

        _undo.AddLast((Definition, next.Label));
        SetDefinition(next.Definition);
    }

    /// <summary>Checks the definition with the engine's validator and places each problem on the activity it concerns.</summary>
    public DesignerValidation Validate(DefinitionValidationContext context)
    {
        var problems = new WorkflowDefinitionValidator(_activities).Validate(Definition, context);
        Validation = DesignerValidation.Map(Definition, problems);
        Changed?.Invoke();
        return Validation;
    }

    /// <summary>Shows problems reported elsewhere (e.g. by the server when saving) on their activities.</summary>
    public DesignerValidation ShowProblems(IEnumerable<DefinitionProblem> problems)
    {
        Validation = DesignerValidation.Map(Definition, problems.ToList());
        Changed?.Invoke();
        return Validation;
    }

    /// <summary>The definition as a document in the format of <c>workflows/*.json</c>.</summary>
    public string ToJson() => DefinitionDocument.Write(Definition);

    /// <summary>Marks the current definition as saved (e.g. after the draft was stored as version <paramref name="version"/>).</summary>
    public void MarkSaved(int? version = null, DefinitionState? state = null)
    {
        if (version is not null || state is not null)
        {
            Definition = Definition with { Version = version ?? Definition.Version, State = state ?? Definition.State };
        }

        _saved = Definition;
        Changed?.Invoke();
    }

    private void Apply(UiText label, WorkflowDefinition next)
    {
        _undo.AddLast((Definition, label));
        if (_undo.Count > MaxUndo)
        {
            _undo.RemoveFirst();
        }

        _redo.Clear();
        SetDefinition(next);
    }

    private void SetDefinition(WorkflowDefinition next)
    {
        Definition = next;
        Validation = null;
        if (SelectedActivityId is { } id && Find(id) is null)
        {
            SelectedActivityId = null;
        }

        Changed?.Invoke();
    }

    private WorkflowDefinition Replace(ActivityDefinition activity) => Definition with
    {
        Activities = Definition.Activities.Select(a => a.Id == activity.Id ? activity : a).ToList(),
    };

    private ActivityDefinition Require(string activityId) =>
        Find(activityId) ?? throw new DesignerCommandException($"Der Ablauf hat keine Aktivität '{activityId}'.");

    private string NewId(string type)
    {
        var stem = type.ToLowerInvariant();
        var taken = Definition.Activities.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        for (var n = 1; ; n++)
        {
            var id = $"{stem}-{n}";
            if (!taken.Contains(id))
            {
                return id;
            }
        }
    }

    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()),
        JsonValueKind.Array => value.GetArrayLength() == 0,
        _ => false,
    };
}

public sealed record DesignerLoadResult(DesignerState? State, IReadOnlyList<DefinitionProblem> Problems);

/// <summary>A command the designer refuses, with a message for the admin (German, says what to do).</summary>
public sealed class DesignerCommandException(string message) : Exception(message);
