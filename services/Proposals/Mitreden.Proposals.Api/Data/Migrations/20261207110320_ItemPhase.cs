using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Proposals.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ItemPhase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "phase_id",
                table: "items",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_items_phase_id",
                table: "items",
                column: "phase_id");

            migrationBuilder.AddForeignKey(
                name: "FK_items_phases_phase_id",
                table: "items",
                column: "phase_id",
                principalTable: "phases",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_items_phases_phase_id",
                table: "items");

            migrationBuilder.DropIndex(
                name: "IX_items_phase_id",
                table: "items");

            migrationBuilder.DropColumn(
                name: "phase_id",
                table: "items");
        }
    }
}
