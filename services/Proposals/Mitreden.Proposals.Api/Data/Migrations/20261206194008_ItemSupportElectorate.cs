using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Proposals.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ItemSupportElectorate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "electorate",
                table: "item_supports",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "citizens");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "electorate",
                table: "item_supports");
        }
    }
}
