using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Proposals.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProcessCommentingRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "unconfirmed_accounts_may_comment",
                table: "processes",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "unconfirmed_accounts_may_comment",
                table: "processes");
        }
    }
}
