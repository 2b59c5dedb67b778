using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Proposals.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Locations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "latitude",
                table: "items",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "longitude",
                table: "items",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "district",
                table: "events",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "latitude",
                table: "events",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "longitude",
                table: "events",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_items_location",
                table: "items",
                sql: "(latitude IS NULL) = (longitude IS NULL)");

            migrationBuilder.AddCheckConstraint(
                name: "ck_events_location",
                table: "events",
                sql: "(latitude IS NULL) = (longitude IS NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_items_location",
                table: "items");

            migrationBuilder.DropCheckConstraint(
                name: "ck_events_location",
                table: "events");

            migrationBuilder.DropColumn(
                name: "latitude",
                table: "items");

            migrationBuilder.DropColumn(
                name: "longitude",
                table: "items");

            migrationBuilder.DropColumn(
                name: "district",
                table: "events");

            migrationBuilder.DropColumn(
                name: "latitude",
                table: "events");

            migrationBuilder.DropColumn(
                name: "longitude",
                table: "events");
        }
    }
}
