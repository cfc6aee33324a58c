using DeliberationFlow.Council.Meetings;

namespace DeliberationFlow.Server.Components.Workspace;

/// <summary>
/// The draft order of an agenda while the secretary arranges it: items move within their part (public items stay
/// before non-public ones, as the agenda numbers them), and the result is the list the Agenda use case takes.
/// </summary>
public sealed class AgendaOrder(IEnumerable<AgendaItemView> items)
{
    private readonly List<AgendaItemView> _items = items.Where(i => !i.RemovedFromAgenda).ToList();
    private readonly IReadOnlyList<Guid> _original = items.Where(i => !i.RemovedFromAgenda).Select(i => i.ConsultationId).ToList();

    public IReadOnlyList<AgendaItemView> Items => _items;

    public bool Changed => !_items.Select(i => i.ConsultationId).SequenceEqual(_original);

    public bool CanMoveUp(AgendaItemView item)
    {
        var index = _items.IndexOf(item);
        return index > 0 && _items[index - 1].Public == item.Public && !item.LateAddition && !_items[index - 1].LateAddition;
    }

    public bool CanMoveDown(AgendaItemView item)
    {
        var index = _items.IndexOf(item);
        return index >= 0 && index < _items.Count - 1 && _items[index + 1].Public == item.Public && !item.LateAddition && !_items[index + 1].LateAddition;
    }

    public void MoveUp(AgendaItemView item)
    {
        if (CanMoveUp(item))
        {
            Swap(_items.IndexOf(item), _items.IndexOf(item) - 1);
        }
    }

    public void MoveDown(AgendaItemView item)
    {
        if (CanMoveDown(item))
        {
            Swap(_items.IndexOf(item), _items.IndexOf(item) + 1);
        }
    }

    /// <summary>The numbers the items will carry once saved: Ö 1, Ö 2 … then N 1 ….</summary>
    public string NumberOf(AgendaItemView item)
    {
        var part = _items.Where(i => i.Public == item.Public).ToList();
        return $"{(item.Public ? "Ö" : "N")} {part.IndexOf(item) + 1}";
    }

    public ReorderAgendaRequest ToRequest() => new(_items.Select(i => i.ConsultationId).ToList());

    private void Swap(int a, int b) => (_items[a], _items[b]) = (_items[b], _items[a]);
}
