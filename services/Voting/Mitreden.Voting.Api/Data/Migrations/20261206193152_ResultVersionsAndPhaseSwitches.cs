using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mitreden.Voting.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ResultVersionsAndPhaseSwitches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "switches_as_of",
                table: "phases",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "'1970-01-01T00:00:00Z'");

            migrationBuilder.AddColumn<bool>(
                name: "voting",
                table: "phases",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "result_corrected_at",
                table: "ballots",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "result_version",
                table: "ballots",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "result_versions",
                columns: table => new
                {
                    ballot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    digest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    previous_digest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    result = table.Column<string>(type: "jsonb", nullable: false),
                    votes = table.Column<long>(type: "bigint", nullable: false),
                    in_person_participants = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    in_person_entry_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_result_versions", x => new { x.ballot_id, x.version });
                });

            // Ballots closed before versions existed: their published result is version 1.
            migrationBuilder.Sql("""
                INSERT INTO result_versions (ballot_id, version, kind, digest, result, votes, in_person_participants, created_at)
                SELECT id, 1, 'final', final_digest, final_result, coalesce(final_votes, 0),
                       coalesce((SELECT sum(participants) FROM in_person_entries e WHERE e.ballot_id = b.id AND e.superseded_by_id IS NULL), 0),
                       coalesce(closed_at, updated_at)
                FROM ballots b WHERE status = 'Closed' AND final_digest IS NOT NULL AND final_result IS NOT NULL;
                UPDATE ballots SET result_version = 1 WHERE status = 'Closed' AND final_digest IS NOT NULL AND final_result IS NOT NULL;
                """);

            // The versions are the audit trail of corrections: append-only in the database too, whoever connects.
            migrationBuilder.Sql("""
                CREATE FUNCTION result_versions_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'result_versions is append-only: % is not allowed', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END
                $$;
                CREATE TRIGGER result_versions_no_update_or_delete BEFORE UPDATE OR DELETE ON result_versions
                    FOR EACH ROW EXECUTE FUNCTION result_versions_reject_change();
                CREATE TRIGGER result_versions_no_truncate BEFORE TRUNCATE ON result_versions
                    FOR EACH STATEMENT EXECUTE FUNCTION result_versions_reject_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "result_versions");
            migrationBuilder.Sql("DROP FUNCTION result_versions_reject_change();");

            migrationBuilder.DropColumn(
                name: "switches_as_of",
                table: "phases");

            migrationBuilder.DropColumn(
                name: "voting",
                table: "phases");

            migrationBuilder.DropColumn(
                name: "result_corrected_at",
                table: "ballots");

            migrationBuilder.DropColumn(
                name: "result_version",
                table: "ballots");
        }
    }
}
