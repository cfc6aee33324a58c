using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DeliberationFlow.Persistence.Configurations;

internal sealed class WorkflowInstanceConfiguration(string? schema) : IEntityTypeConfiguration<WorkflowInstance>
{
    public void Configure(EntityTypeBuilder<WorkflowInstance> builder)
    {
        builder.ToTable("workflow_instances", schema);
        builder.HasKey(i => i.Id);
        builder.Property(i => i.DefinitionId).HasMaxLength(100);
        builder.Property(i => i.CorrelationId).HasMaxLength(100);
        builder.Property(i => i.CurrentActivityId).HasMaxLength(100);
        builder.Property(i => i.Revision).IsConcurrencyToken();
        builder.HasIndex(i => i.CorrelationId);
        builder.HasIndex(i => new { i.TenantId, i.Status });
    }
}

internal sealed class BookmarkConfiguration(string? schema) : IEntityTypeConfiguration<Bookmark>
{
    public void Configure(EntityTypeBuilder<Bookmark> builder)
    {
        builder.ToTable("bookmarks", schema);
        builder.HasKey(b => b.Id);
        builder.Property(b => b.ActivityId).HasMaxLength(100);
        builder.Property(b => b.Name).HasMaxLength(100);
        builder.Property(b => b.Key).HasMaxLength(100);

        // One waiting bookmark per name and key: a stimulus finds exactly one.
        builder.HasIndex(b => new { b.Name, b.Key }).IsUnique();
        builder.HasIndex(b => b.InstanceId);
    }
}

internal sealed class WorkflowTimerConfiguration(string? schema) : IEntityTypeConfiguration<WorkflowTimer>
{
    public void Configure(EntityTypeBuilder<WorkflowTimer> builder)
    {
        builder.ToTable("timers", schema);
        builder.HasKey(t => t.Id);
        builder.Property(t => t.ActivityId).HasMaxLength(100);
        builder.Property(t => t.Kind).HasMaxLength(100);
        builder.Property(t => t.Key).HasMaxLength(100);
        builder.Property(t => t.JobId).HasMaxLength(100);
        builder.Property(t => t.Note).HasMaxLength(1000);

        // The reconciliation and the due-timer job scan pending timers by due time. Partial, so that it holds the
        // pending timers only (not every timer ever fired), and so that no index leads with the status: with one, a
        // look-up by key or id that also says "pending" was planned as a scan of all pending timers whenever the
        // statistics last saw few of them (after a quiet spell, or on a young database), 0.4-1.1 ms per step in the
        // benchmark instead of 0.02 ms, growing with the pending timers. Those look-ups now ask by key or id alone.
        builder.HasIndex(t => t.DueAt).HasFilter("status = 'Pending'").HasDatabaseName("ix_timers_due_at_pending");
        builder.HasIndex(t => t.Key);
    }
}

internal sealed class JournalEntryConfiguration(string? schema) : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> builder)
    {
        builder.ToTable("journal", schema);
        builder.HasKey(j => j.Sequence);
        builder.Property(j => j.Sequence).ValueGeneratedOnAdd();
        builder.Property(j => j.ActivityId).HasMaxLength(100);
        builder.Property(j => j.ActivityType).HasMaxLength(100);
        builder.Property(j => j.Outcome).HasMaxLength(100);
        builder.Property(j => j.Actor).HasMaxLength(200);
        builder.Property(j => j.Message).HasMaxLength(2000);
        builder.HasIndex(j => new { j.InstanceId, j.Sequence });
    }
}

internal sealed class StoredWorkflowDefinitionConfiguration(string? schema) : IEntityTypeConfiguration<DeliberationFlow.Engine.Definitions.StoredWorkflowDefinition>
{
    public void Configure(EntityTypeBuilder<DeliberationFlow.Engine.Definitions.StoredWorkflowDefinition> builder)
    {
        builder.ToTable("workflow_definitions", schema);
        builder.HasKey(d => new { d.TenantId, d.DefinitionId, d.Version });
        builder.Property(d => d.DefinitionId).HasMaxLength(100);
        builder.Property(d => d.Name).HasMaxLength(300);
        builder.Property(d => d.CreatedBy).HasMaxLength(200);

        // "Latest published version of X" is asked on every registration.
        builder.HasIndex(d => new { d.TenantId, d.DefinitionId, d.State, d.Version });
    }
}
