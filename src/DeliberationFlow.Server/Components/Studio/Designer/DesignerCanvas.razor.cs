using Blazor.Diagrams;
using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using Blazor.Diagrams.Core.PathGenerators;
using Blazor.Diagrams.Core.Routers;
using Blazor.Diagrams.Options;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace DeliberationFlow.Server.Components.Studio.Designer;

public partial class DesignerCanvas : IDisposable
{
    private readonly Dictionary<string, ActivityNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<BaseLinkModel, (string Source, string Outcome, string Target)> _links = [];
    private DesignerState? _attached;
    private bool _syncing;

    [Parameter, EditorRequired]
    public DesignerState State { get; set; } = null!;

    /// <summary>The instance page shows the diagram without editing.</summary>
    [Parameter]
    public bool ReadOnly { get; set; }

    /// <summary>Done and current steps of an instance.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, ActivityMark>? Marks { get; set; }

    /// <summary>A palette item was dropped at this point of the diagram.</summary>
    [Parameter]
    public EventCallback<Point> OnDrop { get; set; }

    /// <summary>A gesture the state refused (e.g. a port that does not exist any more), worded for the admin.</summary>
    [Parameter]
    public EventCallback<string> OnError { get; set; }

    public BlazorDiagram Diagram { get; private set; } = null!;

    public int NodeCount => _nodes.Count;

    public int LinkCount => _links.Count;

    protected override void OnInitialized()
    {
        var options = new BlazorDiagramOptions
        {
            AllowMultiSelection = false,
            GridSize = 20,
            Zoom = { Enabled = true, Minimum = 0.2, Maximum = 2.5 },
            Links =
            {
                DefaultRouter = new NormalRouter(),
                DefaultPathGenerator = new SmoothPathGenerator(),
                RequireTarget = true,
                EnableSnapping = true,
                SnappingRadius = 30,
                // Only outcome ports start links; the link is a sketch until the state accepts the connection.
                Factory = (_, source, target) => source is OutcomePort port && !ReadOnly ? new LinkModel(new SinglePortAnchor(port), target) : null!,
            },
        };
        Diagram = new BlazorDiagram(options);
        Diagram.RegisterComponent<ActivityNode, ActivityNodeWidget>();
        Diagram.Nodes.Removed += OnNodeRemoved;
        Diagram.Links.Added += OnLinkAdded;
        Diagram.Links.Removed += OnLinkRemoved;
        Diagram.SelectionChanged += OnSelectionChanged;
    }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_attached, State))
        {
            if (_attached is not null)
            {
                _attached.Changed -= OnStateChanged;
            }

            _attached = State;
            State.Changed += OnStateChanged;
        }

        Sync();
    }

    public void ZoomIn() => Diagram.SetZoom(Math.Min(2.5, Diagram.Zoom * 1.2));

    public void ZoomOut() => Diagram.SetZoom(Math.Max(0.2, Diagram.Zoom / 1.2));

    /// <summary>
    /// Shows the flow's bounding box, as measured in the browser where it has been (see <see cref="ViewportFit"/>): not
    /// below a readable zoom, never enlarged beyond 100 %.
    /// </summary>
    public void ZoomToFit()
    {
        if (_nodes.Count == 0 || Diagram.Container is not { Width: > 0, Height: > 0 } container)
        {
            return;
        }

        var left = _nodes.Values.Min(n => n.Position.X);
        var top = _nodes.Values.Min(n => n.Position.Y);
        var right = _nodes.Values.Max(n => n.Position.X + (n.Size?.Width ?? DesignerState.DefaultWidth));
        var bottom = _nodes.Values.Max(n => n.Position.Y + (n.Size?.Height ?? DesignerState.DefaultHeight));
        var (zoom, panX, panY) = ViewportFit.Compute(left, top, right, bottom, container.Width, container.Height);
        Diagram.SetZoom(zoom);
        Diagram.SetPan(panX, panY);
    }

    /// <summary>Brings the diagram in line with the state: nodes added, removed, moved or redrawn; links added or removed.</summary>
    public void Sync()
    {
        _syncing = true;
        try
        {
            Diagram.Batch(SyncNodesAndLinks);
        }
        finally
        {
            _syncing = false;
        }
    }

    private void SyncNodesAndLinks()
    {
        var activities = State.Activities.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (id, node) in _nodes.ToList())
        {
            // A node whose type or ports changed is drawn anew: its ports are fixed at creation.
            if (!activities.TryGetValue(id, out var activity) || activity.Type != node.Type || !State.OutcomesOf(id).SequenceEqual(node.Outcomes))
            {
                RemoveNode(id, node);
            }
        }

        foreach (var activity in activities.Values)
        {
            var problems = State.Validation?.For(activity.Id) ?? [];
            var mark = Marks?.GetValueOrDefault(activity.Id) ?? ActivityMark.None;
            if (!_nodes.TryGetValue(activity.Id, out var node))
            {
                node = new ActivityNode(activity, L[State.DescriptorOf(activity.Type)?.DisplayName ?? activity.Type], State.OutcomesOf(activity.Id))
                {
                    Size = new Size(activity.Designer?.Width ?? DesignerState.DefaultWidth, activity.Designer?.Height ?? DesignerState.DefaultHeight),
                    Locked = ReadOnly,
                };
                node.Update(activity, problems, mark);
                node.Moved += OnNodeMoved;
                _nodes[activity.Id] = node;
                Diagram.Nodes.Add(node);
            }
            else
            {
                var x = activity.Designer?.X ?? 0;
                var y = activity.Designer?.Y ?? 0;
                if (Math.Abs(node.Position.X - x) > 0.5 || Math.Abs(node.Position.Y - y) > 0.5)
                {
                    node.SetPosition(x, y);
                }

                if (node.Update(activity, problems, mark))
                {
                    node.Refresh();
                }
            }

            var selected = activity.Id == State.SelectedActivityId;
            if (node.Selected != selected)
            {
                if (selected)
                {
                    Diagram.SelectModel(node, unselectOthers: true);
                }
                else
                {
                    Diagram.UnselectModel(node);
                }
            }
        }

        var wanted = State.Connections
            .Where(c => _nodes.ContainsKey(c.Source) && _nodes.ContainsKey(c.Target) && _nodes[c.Source].OutcomePorts.ContainsKey(c.Outcome))
            .Select(c => (c.Source, c.Outcome, c.Target))
            .ToHashSet();
        foreach (var (link, key) in _links.ToList())
        {
            if (!wanted.Contains(key))
            {
                _links.Remove(link);
                Diagram.Links.Remove(link);
            }
        }

        var drawn = _links.Values.ToHashSet();
        foreach (var key in wanted.Where(k => !drawn.Contains(k)))
        {
            var link = new LinkModel(_nodes[key.Source].OutcomePorts[key.Outcome], _nodes[key.Target].Input)
            {
                TargetMarker = LinkMarker.Arrow,
                Locked = ReadOnly,
            };
            link.Labels.Add(new LinkLabelModel(link, V[StudioTexts.Outcome(key.Outcome)]));
            _links[link] = key;
            Diagram.Links.Add(link);
        }
    }

    private void RemoveNode(string id, ActivityNode node)
    {
        node.Moved -= OnNodeMoved;
        _nodes.Remove(id);
        foreach (var link in _links.Where(l => l.Value.Source == id || l.Value.Target == id).Select(l => l.Key).ToList())
        {
            _links.Remove(link);
        }

        if (Diagram.Nodes.Contains(node))
        {
            Diagram.Nodes.Remove(node);
        }
    }

    private void OnStateChanged() => _ = InvokeAsync(() =>
    {
        Sync();
        StateHasChanged();
    });

    private void OnNodeMoved(MovableModel model)
    {
        if (!_syncing && !ReadOnly && model is ActivityNode node)
        {
            State.MoveActivity(node.ActivityId, node.Position.X, node.Position.Y);
        }
    }

    private void OnNodeRemoved(NodeModel model)
    {
        if (_syncing || model is not ActivityNode node)
        {
            return;
        }

        // Removed in the diagram (Delete key): forget it first, so the sync does not try to remove it again.
        node.Moved -= OnNodeMoved;
        _nodes.Remove(node.ActivityId);
        foreach (var link in _links.Where(l => l.Value.Source == node.ActivityId || l.Value.Target == node.ActivityId).Select(l => l.Key).ToList())
        {
            _links.Remove(link);
        }

        if (!ReadOnly)
        {
            State.RemoveActivity(node.ActivityId);
        }
    }

    private void OnLinkAdded(BaseLinkModel link)
    {
        if (!_syncing)
        {
            link.TargetAttached += OnTargetAttached;
        }
    }

    private void OnTargetAttached(BaseLinkModel link)
    {
        link.TargetAttached -= OnTargetAttached;
        var source = link.Source.Model as OutcomePort;
        var target = link.Target.Model switch
        {
            InputPort input => input.Parent as ActivityNode,
            ActivityNode node => node,
            PortModel port => port.Parent as ActivityNode,
            _ => null,
        };
        _syncing = true;
        try
        {
            // The sketch goes; the state's connection is drawn by the sync that follows.
            Diagram.Links.Remove(link);
        }
        finally
        {
            _syncing = false;
        }

        if (source?.Parent is ActivityNode from && target is not null)
        {
            try
            {
                State.Connect(from.ActivityId, source.Outcome, target.ActivityId);
            }
            catch (DesignerCommandException ex)
            {
                _ = OnError.InvokeAsync(ex.Message);
            }
        }
    }

    private void OnLinkRemoved(BaseLinkModel link)
    {
        if (_syncing || !_links.Remove(link, out var key) || ReadOnly)
        {
            return;
        }

        State.Disconnect(key.Source, key.Outcome);
    }

    private void OnSelectionChanged(SelectableModel model)
    {
        if (_syncing || model is not ActivityNode node)
        {
            return;
        }

        if (node.Selected)
        {
            State.Select(node.ActivityId);
        }
        else if (State.SelectedActivityId == node.ActivityId)
        {
            State.Select(null);
        }
    }

    private async Task OnDropAsync(DragEventArgs e)
    {
        if (!ReadOnly)
        {
            await OnDrop.InvokeAsync(Diagram.GetRelativeMousePoint(e.ClientX, e.ClientY));
        }
    }

    public void Dispose()
    {
        if (_attached is not null)
        {
            _attached.Changed -= OnStateChanged;
        }

        Diagram.Nodes.Removed -= OnNodeRemoved;
        Diagram.Links.Added -= OnLinkAdded;
        Diagram.Links.Removed -= OnLinkRemoved;
        Diagram.SelectionChanged -= OnSelectionChanged;
        GC.SuppressFinalize(this);
    }
}
