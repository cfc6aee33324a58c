using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DeliberationFlow.Persistence.Configurations;

internal sealed class NotificationPreferenceConfiguration(string? schema) : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> builder)
    {
        builder.ToTable("notification_preferences", schema);
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.Language).HasMaxLength(5);
        builder.Property(p => p.CalendarStamp).HasMaxLength(64);
    }
}

internal sealed class PaperFollowerConfiguration(string? schema) : IEntityTypeConfiguration<PaperFollower>
{
    public void Configure(EntityTypeBuilder<PaperFollower> builder)
    {
        builder.ToTable("paper_followers", schema);
        builder.HasKey(f => new { f.PaperId, f.UserId });
        builder.HasIndex(f => f.UserId);
    }
}

internal sealed class CommitteeFollowerConfiguration(string? schema) : IEntityTypeConfiguration<CommitteeFollower>
{
    public void Configure(EntityTypeBuilder<CommitteeFollower> builder)
    {
        builder.ToTable("committee_followers", schema);
        builder.HasKey(f => new { f.OrganizationId, f.UserId });
        builder.HasIndex(f => f.UserId);
    }
}

internal sealed class MailTemplateConfiguration(string? schema) : IEntityTypeConfiguration<MailTemplate>
{
    public void Configure(EntityTypeBuilder<MailTemplate> builder)
    {
        builder.ToTable("mail_templates", schema);
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Kind).HasMaxLength(100);
        builder.Property(t => t.Language).HasMaxLength(5);
        builder.Property(t => t.Subject).HasMaxLength(1000);
        builder.Property(t => t.ModifiedBy).HasMaxLength(200);
        builder.HasIndex(t => new { t.BodyId, t.Kind, t.Language }).IsUnique();
    }
}
