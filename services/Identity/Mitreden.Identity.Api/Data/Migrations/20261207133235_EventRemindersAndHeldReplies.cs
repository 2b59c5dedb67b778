using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Identity.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class EventRemindersAndHeldReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "held_replies",
                columns: table => new
                {
                    comment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    parent_author_id = table.Column<Guid>(type: "uuid", nullable: false),
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    item_id = table.Column<Guid>(type: "uuid", nullable: false),
                    excerpt = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    held_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_held_replies", x => x.comment_id);
                    table.ForeignKey(
                        name: "FK_held_replies_users_parent_author_id",
                        column: x => x.parent_author_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "upcoming_events",
                columns: table => new
                {
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    phase_id = table.Column<Guid>(type: "uuid", nullable: true),
                    title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    place = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    online = table.Column<bool>(type: "boolean", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    remind_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reminded_for = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_upcoming_events", x => x.event_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_held_replies_held_at",
                table: "held_replies",
                column: "held_at");

            migrationBuilder.CreateIndex(
                name: "IX_held_replies_parent_author_id",
                table: "held_replies",
                column: "parent_author_id");

            migrationBuilder.CreateIndex(
                name: "IX_upcoming_events_remind_at",
                table: "upcoming_events",
                column: "remind_at",
                filter: "NOT cancelled");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "held_replies");

            migrationBuilder.DropTable(
                name: "upcoming_events");
        }
    }
}
