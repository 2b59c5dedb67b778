using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Voting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class PhaseVisibility : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "visibility",
                table: "phases",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "public");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "visibility_as_of",
                table: "phases",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "'1970-01-01T00:00:00Z'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "visibility",
                table: "phases");

            migrationBuilder.DropColumn(
                name: "visibility_as_of",
                table: "phases");
        }
    }
}
