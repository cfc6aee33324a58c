using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MailNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "attachment_content",
                schema: "council",
                table: "outbox_messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "attachment_content_type",
                schema: "council",
                table: "outbox_messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "attachment_name",
                schema: "council",
                table: "outbox_messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "claim_token",
                schema: "council",
                table: "outbox_messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "html_body",
                schema: "council",
                table: "outbox_messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "items",
                schema: "council",
                table: "outbox_messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "escalation_days",
                schema: "council",
                table: "organizations",
                type: "integer",
                nullable: false,
                defaultValue: 14);

            migrationBuilder.AddColumn<int>(
                name: "reminder_days_before",
                schema: "council",
                table: "organizations",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "mail_templates",
                schema: "council",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    body_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    language = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    html = table.Column<string>(type: "text", nullable: false),
                    modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    modified_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mail_templates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notification_preferences",
                schema: "council",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    language = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    digest = table.Column<bool>(type: "boolean", nullable: false),
                    opt_out = table.Column<List<string>>(type: "text[]", nullable: false),
                    calendar_stamp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_preferences", x => x.user_id);
                });

            migrationBuilder.CreateTable(
                name: "paper_followers",
                schema: "council",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    paper_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_paper_followers", x => new { x.paper_id, x.user_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_mail_templates_body_id_kind_language",
                schema: "council",
                table: "mail_templates",
                columns: new[] { "body_id", "kind", "language" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_paper_followers_user_id",
                schema: "council",
                table: "paper_followers",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mail_templates",
                schema: "council");

            migrationBuilder.DropTable(
                name: "notification_preferences",
                schema: "council");

            migrationBuilder.DropTable(
                name: "paper_followers",
                schema: "council");

            migrationBuilder.DropColumn(
                name: "attachment_content",
                schema: "council",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "attachment_content_type",
                schema: "council",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "attachment_name",
                schema: "council",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "claim_token",
                schema: "council",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "html_body",
                schema: "council",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "items",
                schema: "council",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "escalation_days",
                schema: "council",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "reminder_days_before",
                schema: "council",
                table: "organizations");
        }
    }
}
