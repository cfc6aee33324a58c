using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers.Files;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DeliberationFlow.Persistence.Configurations;

internal sealed class BodyConfiguration(string? schema) : IEntityTypeConfiguration<Body>
{
    public void Configure(EntityTypeBuilder<Body> builder)
    {
        builder.ToTable("bodies", schema);
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Key).HasMaxLength(100);
        builder.Property(b => b.Name).HasMaxLength(300);
        builder.Property(b => b.ShortName).HasMaxLength(100);
        builder.Property(b => b.Ags).HasMaxLength(20);
        builder.Property(b => b.TimeZone).HasMaxLength(100);
        builder.Property(b => b.State).HasMaxLength(10);
        builder.Ignore(b => b.Zone);
        builder.HasIndex(b => b.Key).IsUnique();
    }
}

internal sealed class OrganizationConfiguration(string? schema) : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.ToTable("organizations", schema);
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Key).HasMaxLength(100);
        builder.Property(o => o.Name).HasMaxLength(300);
        builder.Property(o => o.ShortName).HasMaxLength(100);
        builder.Property(o => o.Classification).HasMaxLength(100);
        builder.Property(o => o.Email).HasMaxLength(320);
        builder.HasOne<Body>().WithMany().HasForeignKey(o => o.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => new { o.BodyId, o.Key }).IsUnique();
        builder.HasQueryFilter(o => !o.Deleted);
    }
}

internal sealed class PersonConfiguration(string? schema) : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("persons", schema);
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(300);
        builder.Property(p => p.GivenName).HasMaxLength(200);
        builder.Property(p => p.FamilyName).HasMaxLength(200);
        builder.Property(p => p.FormOfAddress).HasMaxLength(100);
        builder.Property(p => p.Email).HasMaxLength(320);
        builder.HasOne<Body>().WithMany().HasForeignKey(p => p.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasQueryFilter(p => !p.Deleted);
    }
}

internal sealed class MembershipConfiguration(string? schema) : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.ToTable("memberships", schema);
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Role).HasMaxLength(100);
        builder.HasOne<Body>().WithMany().HasForeignKey(m => m.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasQueryFilter(m => !m.Deleted);
    }
}

internal sealed class MeetingConfiguration(string? schema) : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> builder)
    {
        builder.ToTable("meetings", schema);
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Name).HasMaxLength(300);
        builder.Property(m => m.Location).HasMaxLength(500);
        builder.Property(m => m.ChangeReason).HasMaxLength(1000);
        builder.Property(m => m.AgendaLockedBy).HasMaxLength(200);
        builder.Ignore(m => m.AgendaLocked);
        builder.HasOne<Body>().WithMany().HasForeignKey(m => m.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.OrganizationId, m.Start });
        builder.HasQueryFilter(m => !m.Deleted);
    }
}

internal sealed class PaperConfiguration(string? schema) : IEntityTypeConfiguration<Paper>
{
    public void Configure(EntityTypeBuilder<Paper> builder)
    {
        builder.ToTable("papers", schema);
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Reference).HasMaxLength(40);
        builder.Property(p => p.Name).HasMaxLength(1000);
        builder.Property(p => p.PaperType).HasMaxLength(100);
        builder.HasOne<Body>().WithMany().HasForeignKey(p => p.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.LeadOfficeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Paper>().WithMany().HasForeignKey(p => p.SuperordinatedPaperId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(p => p.WorkflowInstanceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.BodyId, p.Reference }).IsUnique();
        builder.HasQueryFilter(p => !p.Deleted);
    }
}

internal sealed class PaperFileConfiguration(string? schema) : IEntityTypeConfiguration<PaperFile>
{
    public void Configure(EntityTypeBuilder<PaperFile> builder)
    {
        builder.ToTable("paper_files", schema);
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Name).HasMaxLength(300);
        builder.Property(f => f.FileName).HasMaxLength(255);
        builder.Property(f => f.MimeType).HasMaxLength(100);
        builder.Property(f => f.Sha512Checksum).HasMaxLength(128).HasColumnName("sha512_checksum");
        builder.Property(f => f.UploadedBy).HasMaxLength(200);
        builder.HasOne<Body>().WithMany().HasForeignKey(f => f.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Paper>().WithMany().HasForeignKey(f => f.PaperId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(f => f.PaperId);
        // The OParl list of the body's files, in the order it pages them, and its modified_since.
        builder.HasIndex(f => new { f.BodyId, f.Modified });
        // One Vorlage per paper: two uploads of a main file at the same moment cannot both win.
        builder.HasIndex(f => f.PaperId, "main_file").IsUnique().HasFilter("role = 'Main' AND NOT deleted").HasDatabaseName("ix_paper_files_main_file");
        builder.HasQueryFilter(f => !f.Deleted);
    }
}

internal sealed class PaperFileContentConfiguration(string? schema) : IEntityTypeConfiguration<PaperFileContent>
{
    public void Configure(EntityTypeBuilder<PaperFileContent> builder)
    {
        builder.ToTable("paper_file_contents", schema);
        builder.HasKey(c => c.FileId);
        builder.HasOne<PaperFile>().WithOne().HasForeignKey<PaperFileContent>(c => c.FileId).OnDelete(DeleteBehavior.Cascade);
        // The documents whose text is still to be read (stored before texts were read): few, and soon none.
        builder.HasIndex(c => c.FileId, "text_pending").HasFilter("text_extracted_at IS NULL").HasDatabaseName("ix_paper_file_contents_text_pending");
        builder.Property(c => c.TextExtractionError).HasMaxLength(PaperTextOptions.MaxErrorLength);

        // The full-text index of the texts is no part of the model: its own SQL in the migration PaperDocumentSearch (on
        // PostgreSQL the column text_search, kept by a trigger, with a GIN index; on SQLite the FTS5 table
        // paper_file_search, kept by triggers), read by ICouncilDb.PapersWithDocumentText. On SQLite a migration that
        // rebuilds this table would drop its triggers with it: it must create them again.
    }
}

internal sealed class ConsultationConfiguration(string? schema) : IEntityTypeConfiguration<Consultation>
{
    public void Configure(EntityTypeBuilder<Consultation> builder)
    {
        builder.ToTable("consultations", schema);
        builder.HasKey(c => c.Id);
        builder.Property(c => c.RoleText).HasMaxLength(100);
        builder.Property(c => c.ResultText).HasMaxLength(500);
        builder.Property(c => c.ResolutionText).HasMaxLength(10_000);
        builder.Property(c => c.RecordedBy).HasMaxLength(200);
        builder.Property(c => c.ActivityId).HasMaxLength(100);
        // The § 89 columns without foreign keys: adding one would make SQLite rebuild the table.
        builder.Property(c => c.UrgentDecisionBy).HasMaxLength(200);
        builder.Property(c => c.UrgentDecisionReason).HasMaxLength(1000);
        builder.Property(c => c.Revision).IsConcurrencyToken();
        builder.HasOne<Body>().WithMany().HasForeignKey(c => c.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Paper>().WithMany().HasForeignKey(c => c.PaperId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Meeting>().WithMany().HasForeignKey(c => c.MeetingId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.PaperId, c.Position }).IsUnique();
        builder.HasQueryFilter(c => !c.Deleted);
    }
}

internal sealed class CirculationConfiguration(string? schema) : IEntityTypeConfiguration<Circulation>
{
    public void Configure(EntityTypeBuilder<Circulation> builder)
    {
        builder.ToTable("circulations", schema);
        builder.HasKey(c => c.Id);
        builder.Property(c => c.ResolutionText).HasMaxLength(10_000);
        builder.Property(c => c.StartedBy).HasMaxLength(200);
        builder.Property(c => c.EndedBy).HasMaxLength(200);
        builder.Property(c => c.EndReason).HasMaxLength(1000);
        builder.HasOne<Body>().WithMany().HasForeignKey(c => c.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Paper>().WithMany().HasForeignKey(c => c.PaperId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Consultation>().WithMany().HasForeignKey(c => c.ConsultationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Votes).WithOne().HasForeignKey(v => v.CirculationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.ConsultationId);
        // One open circulation per consultation: two secretaries starting one at the same moment cannot both win.
        builder.HasIndex(c => c.ConsultationId, "open_circulation").IsUnique().HasFilter("status = 'Open'").HasDatabaseName("ix_circulations_open");
        // The portal's list of open circulations of a committee.
        builder.HasIndex(c => new { c.OrganizationId, c.Status });
    }
}

internal sealed class CirculationVoteConfiguration(string? schema) : IEntityTypeConfiguration<CirculationVote>
{
    public void Configure(EntityTypeBuilder<CirculationVote> builder)
    {
        builder.ToTable("circulation_votes", schema);
        builder.HasKey(v => new { v.CirculationId, v.PersonId });
        builder.Property(v => v.Name).HasMaxLength(300);
        builder.Property(v => v.AnsweredBy).HasMaxLength(200);
        builder.HasOne<Person>().WithMany().HasForeignKey(v => v.PersonId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => v.PersonId);
    }
}

internal sealed class UserAccountConfiguration(string? schema) : IEntityTypeConfiguration<UserAccount>
{
    public void Configure(EntityTypeBuilder<UserAccount> builder)
    {
        builder.ToTable("users", schema);
        builder.HasKey(u => u.Id);
        builder.Property(u => u.UserName).HasMaxLength(100);
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.Email).HasMaxLength(320);
        builder.Property(u => u.PasswordHash).HasMaxLength(500);
        builder.Ignore(u => u.IsActive);
        builder.HasOne<Body>().WithMany().HasForeignKey(u => u.BodyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(u => u.PersonId).OnDelete(DeleteBehavior.Restrict);

        // User names are unique across the installation, so a login needs no body.
        builder.HasIndex(u => u.UserName).IsUnique();
    }
}

internal sealed class AuditEntryConfiguration(string? schema) : IEntityTypeConfiguration<Council.Audit.AuditEntry>
{
    public void Configure(EntityTypeBuilder<Council.Audit.AuditEntry> builder)
    {
        builder.ToTable("audit_entries", schema);
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedOnAdd();
        builder.Property(e => e.Actor).HasMaxLength(100);
        builder.Property(e => e.Area).HasMaxLength(40);
        builder.Property(e => e.Subject).HasMaxLength(200);
        builder.Property(e => e.Message).HasMaxLength(4000);
        builder.HasOne<Body>().WithMany().HasForeignKey(e => e.BodyId).OnDelete(DeleteBehavior.Restrict);

        // The page lists a body's entries newest first.
        builder.HasIndex(e => new { e.BodyId, e.Sequence });
    }
}

internal sealed class AttendanceConfiguration(string? schema) : IEntityTypeConfiguration<Attendance>
{
    public void Configure(EntityTypeBuilder<Attendance> builder)
    {
        builder.ToTable("attendances", schema);
        builder.HasKey(a => new { a.MeetingId, a.PersonId });
        builder.Property(a => a.RecordedBy).HasMaxLength(100);
        builder.HasOne<Meeting>().WithMany().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(a => a.PersonId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Body>().WithMany().HasForeignKey(a => a.BodyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IdempotencyRecordConfiguration(string? schema) : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records", schema);
        builder.HasKey(r => new { r.UserId, r.Operation, r.Key });
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.Operation).HasMaxLength(100);
        builder.Property(r => r.RequestHash).HasMaxLength(64);

        // For the every-minute deletion of answers past their retention.
        builder.HasIndex(r => r.CreatedAt);
    }
}

internal sealed class OutboxMessageConfiguration(string? schema) : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages", schema);
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Kind).HasMaxLength(100);
        // The entity cuts what users and templates fill in to these lengths (Texts.Cut).
        builder.Property(m => m.DeduplicationKey).HasMaxLength(OutboxMessage.MaxDeduplicationKeyLength);
        builder.Property(m => m.RecipientAddress).HasMaxLength(OutboxMessage.MaxRecipientAddressLength);
        builder.Property(m => m.RecipientName).HasMaxLength(OutboxMessage.MaxRecipientNameLength);
        builder.Property(m => m.Subject).HasMaxLength(OutboxMessage.MaxSubjectLength);
        builder.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxLastErrorLength);
        builder.Property(m => m.MessageId).HasMaxLength(300);
        builder.HasIndex(m => m.DeduplicationKey).IsUnique();
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => m.PaperId);
    }
}
