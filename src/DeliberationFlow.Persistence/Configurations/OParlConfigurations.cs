using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.OParl;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DeliberationFlow.Persistence.Configurations;

internal sealed class AgendaItemConfiguration(string? schema) : IEntityTypeConfiguration<AgendaItem>
{
    public void Configure(EntityTypeBuilder<AgendaItem> builder)
    {
        builder.ToTable("agenda_items", schema);
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Number).HasMaxLength(50);
        builder.Property(a => a.Name).HasMaxLength(2000);
        builder.Property(a => a.ResultText).HasMaxLength(500);
        builder.Property(a => a.ResolutionText).HasMaxLength(10_000);
        builder.HasOne<Body>().WithMany().HasForeignKey(a => a.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Meeting>().WithMany().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Consultation>().WithMany().HasForeignKey(a => a.ConsultationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasQueryFilter(a => !a.Deleted);
        builder.HasIndex(a => new { a.MeetingId, a.Order });
        builder.HasIndex(a => a.ConsultationId);
    }
}

internal sealed class LegislativeTermConfiguration(string? schema) : IEntityTypeConfiguration<LegislativeTerm>
{
    public void Configure(EntityTypeBuilder<LegislativeTerm> builder)
    {
        builder.ToTable("legislative_terms", schema);
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(300);
        builder.HasOne<Body>().WithMany().HasForeignKey(t => t.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasQueryFilter(t => !t.Deleted);
    }
}

internal sealed class OParlSourceLinkConfiguration(string? schema) : IEntityTypeConfiguration<OParlSourceLink>
{
    public void Configure(EntityTypeBuilder<OParlSourceLink> builder)
    {
        builder.ToTable("oparl_source_links", schema);
        builder.HasKey(l => new { l.BodyId, l.ExternalId });
        builder.Property(l => l.ExternalId).HasMaxLength(1000);
        builder.Property(l => l.Kind).HasMaxLength(40);
        builder.HasOne<Body>().WithMany().HasForeignKey(l => l.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(l => new { l.Kind, l.EntityId });
    }
}
