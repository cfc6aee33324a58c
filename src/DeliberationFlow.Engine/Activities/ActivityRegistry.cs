namespace DeliberationFlow.Engine.Activities;

public interface IActivityRegistry
{
    IActivity? Find(string type);

    IReadOnlyCollection<ActivityDescriptor> Descriptors { get; }
}

public sealed class ActivityRegistry : IActivityRegistry
{
    private readonly Dictionary<string, IActivity> _activities;

    public ActivityRegistry(IEnumerable<IActivity> activities)
    {
        _activities = new Dictionary<string, IActivity>(StringComparer.Ordinal);
        foreach (var activity in activities)
        {
            if (!_activities.TryAdd(activity.Descriptor.Type, activity))
            {
                throw new InvalidOperationException($"Activity type '{activity.Descriptor.Type}' is registered twice.");
            }
        }
    }

    public IActivity? Find(string type) => _activities.GetValueOrDefault(type);

    public IReadOnlyCollection<ActivityDescriptor> Descriptors => _activities.Values.Select(a => a.Descriptor).ToList();
}
