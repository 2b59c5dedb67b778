using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Voting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class VoteAcceptance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "vote_acceptance",
                columns: table => new
                {
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    accepted = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vote_acceptance", x => new { x.ballot_id, x.instance_id });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "vote_acceptance");
        }
    }
}
