using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Identity.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class PhaseAudiences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "changed_at",
                table: "process_audiences",
                newName: "as_of");

            migrationBuilder.CreateTable(
                name: "phase_audiences",
                columns: table => new
                {
                    phase_id = table.Column<Guid>(type: "uuid", nullable: false),
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    visibility = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    as_of = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_phase_audiences", x => x.phase_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "phase_audiences");

            migrationBuilder.RenameColumn(
                name: "as_of",
                table: "process_audiences",
                newName: "changed_at");
        }
    }
}
