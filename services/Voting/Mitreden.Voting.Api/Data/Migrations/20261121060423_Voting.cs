using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Voting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Voting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ballot_counters",
                columns: table => new
                {
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    voters = table.Column<long>(type: "bigint", nullable: false),
                    consumed = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ballot_counters", x => x.ballot_id);
                });

            migrationBuilder.CreateTable(
                name: "ballots",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    phase_id = table.Column<Guid>(type: "uuid", nullable: true),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: true),
                    method = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    min_selections = table.Column<int>(type: "integer", nullable: true),
                    max_selections = table.Column<int>(type: "integer", nullable: true),
                    max_score = table.Column<int>(type: "integer", nullable: true),
                    dots = table.Column<int>(type: "integer", nullable: true),
                    max_dots_per_option = table.Column<int>(type: "integer", nullable: true),
                    budget = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    allow_partial_ranking = table.Column<bool>(type: "boolean", nullable: false),
                    eligibility = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    eligible_district = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    voting_group_id = table.Column<Guid>(type: "uuid", nullable: true),
                    voting_group_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    visibility = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    follows_phase = table.Column<bool>(type: "boolean", nullable: false),
                    opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    close_claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    final_votes = table.Column<long>(type: "bigint", nullable: true),
                    final_digest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    final_result = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ballots", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "current_votes",
                columns: table => new
                {
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    voter_key = table.Column<byte[]>(type: "bytea", nullable: false),
                    vote_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    choices = table.Column<string>(type: "text", nullable: false),
                    district = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_current_votes", x => new { x.ballot_id, x.voter_key });
                });

            migrationBuilder.CreateTable(
                name: "in_person_entries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    participants = table.Column<int>(type: "integer", nullable: true),
                    lines = table.Column<string>(type: "jsonb", nullable: false),
                    supersedes_id = table.Column<Guid>(type: "uuid", nullable: true),
                    superseded_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_in_person_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "items",
                columns: table => new
                {
                    item_id = table.Column<Guid>(type: "uuid", nullable: false),
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    district = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    cost_estimate = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_items", x => x.item_id);
                });

            migrationBuilder.CreateTable(
                name: "pairwise_tallies",
                columns: table => new
                {
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    winner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    loser_id = table.Column<Guid>(type: "uuid", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pairwise_tallies", x => new { x.ballot_id, x.winner_id, x.loser_id });
                });

            migrationBuilder.CreateTable(
                name: "phases",
                columns: table => new
                {
                    phase_id = table.Column<Guid>(type: "uuid", nullable: false),
                    process_id = table.Column<Guid>(type: "uuid", nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_phases", x => x.phase_id);
                });

            migrationBuilder.CreateTable(
                name: "recount_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    votes = table.Column<long>(type: "bigint", nullable: false),
                    matches = table.Column<bool>(type: "boolean", nullable: false),
                    digest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    differences = table.Column<string>(type: "text", nullable: true),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recount_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tallies",
                columns: table => new
                {
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    option_id = table.Column<Guid>(type: "uuid", nullable: false),
                    score = table.Column<long>(type: "bigint", nullable: false),
                    votes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tallies", x => new { x.ballot_id, x.option_id });
                });

            migrationBuilder.CreateTable(
                name: "vote_log",
                columns: table => new
                {
                    vote_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    voter_key = table.Column<byte[]>(type: "bytea", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    choices = table.Column<string>(type: "text", nullable: false),
                    district = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    receipt_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    consumed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    rejected_reason = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vote_log", x => x.vote_id);
                });

            migrationBuilder.CreateTable(
                name: "ballot_options",
                columns: table => new
                {
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    option_id = table.Column<Guid>(type: "uuid", nullable: false),
                    item_id = table.Column<Guid>(type: "uuid", nullable: true),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    cost = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ballot_options", x => new { x.ballot_id, x.option_id });
                    table.ForeignKey(
                        name: "FK_ballot_options_ballots_ballot_id",
                        column: x => x.ballot_id,
                        principalTable: "ballots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ballot_options_item_id",
                table: "ballot_options",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "IX_ballots_phase_id",
                table: "ballots",
                column: "phase_id");

            migrationBuilder.CreateIndex(
                name: "IX_ballots_process_id",
                table: "ballots",
                column: "process_id");

            migrationBuilder.CreateIndex(
                name: "IX_ballots_status_closes_at",
                table: "ballots",
                columns: new[] { "status", "closes_at" });

            migrationBuilder.CreateIndex(
                name: "IX_in_person_entries_ballot_id",
                table: "in_person_entries",
                column: "ballot_id");

            migrationBuilder.CreateIndex(
                name: "IX_in_person_entries_supersedes_id",
                table: "in_person_entries",
                column: "supersedes_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recount_runs_ballot_id",
                table: "recount_runs",
                column: "ballot_id");

            migrationBuilder.CreateIndex(
                name: "ix_vote_log_ballot_voter",
                table: "vote_log",
                columns: new[] { "ballot_id", "voter_key" });

            migrationBuilder.CreateIndex(
                name: "ix_vote_log_receipt_hash",
                table: "vote_log",
                column: "receipt_hash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ballot_counters");

            migrationBuilder.DropTable(
                name: "ballot_options");

            migrationBuilder.DropTable(
                name: "current_votes");

            migrationBuilder.DropTable(
                name: "in_person_entries");

            migrationBuilder.DropTable(
                name: "items");

            migrationBuilder.DropTable(
                name: "pairwise_tallies");

            migrationBuilder.DropTable(
                name: "phases");

            migrationBuilder.DropTable(
                name: "recount_runs");

            migrationBuilder.DropTable(
                name: "tallies");

            migrationBuilder.DropTable(
                name: "vote_log");

            migrationBuilder.DropTable(
                name: "ballots");
        }
    }
}
