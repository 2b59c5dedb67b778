using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Comments.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProcessCommentingRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "process_rules",
                columns: table => new
                {
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    unconfirmed_accounts_may_comment = table.Column<bool>(type: "boolean", nullable: false),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_process_rules", x => x.process_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "process_rules");
        }
    }
}
