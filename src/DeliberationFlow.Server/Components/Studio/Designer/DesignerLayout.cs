using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Server.Components.Studio.Designer;

/// <summary>
/// Automatic layout in layers, left to right (Sugiyama style): loops are broken at their back edges (found by a
/// depth-first walk from the start), each activity goes into the layer of its longest path from the start, and the
/// order within a layer is improved by a few barycentre sweeps so that connections cross less.
/// </summary>
public static class DesignerLayout
{
    public const double Margin = 40;
    public const double LayerGap = 80;
    public const double RowGap = 40;

    public static IReadOnlyDictionary<string, DesignerPosition> Arrange(WorkflowDefinition definition, IActivityRegistry activities)
    {
        var ids = definition.Activities.Select(a => a.Id).Distinct(StringComparer.Ordinal).ToList();
        var known = ids.ToHashSet(StringComparer.Ordinal);
        var successors = ids.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var connection in definition.Connections.Where(c => known.Contains(c.Source) && known.Contains(c.Target) && c.Source != c.Target))
        {
            if (!successors[connection.Source].Contains(connection.Target, StringComparer.Ordinal))
            {
                successors[connection.Source].Add(connection.Target);
            }
        }

        var start = definition.Activities.FirstOrDefault(a => activities.Find(a.Type)?.Descriptor.IsStart == true)?.Id;
        var (order, forward) = BreakLoops(ids, start, successors);
        var layer = Layers(order, forward);
        var layers = Enumerable.Range(0, layer.Values.DefaultIfEmpty(0).Max() + 1)
            .Select(l => order.Where(id => layer[id] == l).ToList())
            .ToList();
        ReduceCrossings(layers, forward);

        var sizes = definition.Activities.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => (
            Width: g.First().Designer?.Width ?? DesignerState.DefaultWidth,
            Height: g.First().Designer?.Height ?? DesignerState.DefaultHeight));
        var width = sizes.Values.Select(s => s.Width).DefaultIfEmpty(DesignerState.DefaultWidth).Max();
        var height = sizes.Values.Select(s => s.Height).DefaultIfEmpty(DesignerState.DefaultHeight).Max();
        var tallest = layers.Select(l => l.Count).DefaultIfEmpty(0).Max();
        var positions = new Dictionary<string, DesignerPosition>(StringComparer.Ordinal);
        for (var l = 0; l < layers.Count; l++)
        {
            // Short layers are centred against the tallest one, so a straight chain stays on one line.
            var offset = (tallest - layers[l].Count) * (height + RowGap) / 2;
            for (var row = 0; row < layers[l].Count; row++)
            {
                var id = layers[l][row];
                positions[id] = new DesignerPosition(
                    Margin + (l * (width + LayerGap)),
                    Math.Round(Margin + offset + (row * (height + RowGap))),
                    sizes[id].Width,
                    sizes[id].Height);
            }
        }

        return positions;
    }

    /// <summary>Depth-first from the start (then from whatever it does not reach); an edge back onto the walk's own path closes a loop and is left out.</summary>
    private static (List<string> Order, Dictionary<string, List<string>> Forward) BreakLoops(
        List<string> ids, string? start, Dictionary<string, List<string>> successors)
    {
        var order = new List<string>();
        var forward = ids.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        var roots = start is null ? ids : ids.Where(id => id != start).Prepend(start);
        foreach (var root in roots)
        {
            if (state.ContainsKey(root))
            {
                continue;
            }

            var stack = new Stack<(string Id, int Next)>();
            stack.Push((root, 0));
            state[root] = 1;
            order.Add(root);
            while (stack.Count > 0)
            {
                var (id, next) = stack.Pop();
                if (next < successors[id].Count)
                {
                    stack.Push((id, next + 1));
                    var target = successors[id][next];
                    if (!state.TryGetValue(target, out var seen))
                    {
                        forward[id].Add(target);
                        state[target] = 1;
                        order.Add(target);
                        stack.Push((target, 0));
                    }
                    else if (seen == 2)
                    {
                        forward[id].Add(target);
                    }
                }
                else
                {
                    state[id] = 2;
                }
            }
        }

        return (order, forward);
    }

    /// <summary>Longest path from the sources over the loop-free edges, in topological order (Kahn).</summary>
    private static Dictionary<string, int> Layers(List<string> order, Dictionary<string, List<string>> forward)
    {
        var incoming = order.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        foreach (var target in forward.Values.SelectMany(t => t))
        {
            incoming[target]++;
        }

        var layer = order.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        var queue = new Queue<string>(order.Where(id => incoming[id] == 0));
        while (queue.TryDequeue(out var id))
        {
            foreach (var target in forward[id])
            {
                layer[target] = Math.Max(layer[target], layer[id] + 1);
                if (--incoming[target] == 0)
                {
                    queue.Enqueue(target);
                }
            }
        }

        return layer;
    }

    private static void ReduceCrossings(List<List<string>> layers, Dictionary<string, List<string>> forward)
    {
        var predecessors = forward.Keys.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (source, targets) in forward)
        {
            foreach (var target in targets)
            {
                predecessors[target].Add(source);
            }
        }

        for (var sweep = 0; sweep < 4; sweep++)
        {
            var position = Positions(layers);
            if (sweep % 2 == 0)
            {
                for (var l = 1; l < layers.Count; l++)
                {
                    SortByBarycentre(layers[l], predecessors, position);
                    position = Positions(layers);
                }
            }
            else
            {
                for (var l = layers.Count - 2; l >= 0; l--)
                {
                    SortByBarycentre(layers[l], forward, position);
                    position = Positions(layers);
                }
            }
        }
    }

    private static Dictionary<string, double> Positions(List<List<string>> layers)
    {
        var position = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            for (var i = 0; i < layer.Count; i++)
            {
                // Relative height in the layer, so layers of different size compare.
                position[layer[i]] = (i + 0.5) / layer.Count;
            }
        }

        return position;
    }

    private static void SortByBarycentre(List<string> layer, Dictionary<string, List<string>> neighbours, Dictionary<string, double> position)
    {
        var keys = layer.Select((id, i) => (Id: id, Key: neighbours[id].Count == 0 ? position[id] : neighbours[id].Average(n => position[n]), Index: i)).ToList();
        layer.Clear();
        // Stable: ties keep their order, so a layout run twice gives the same picture.
        layer.AddRange(keys.OrderBy(k => k.Key).ThenBy(k => k.Index).Select(k => k.Id));
    }
}
