using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SealingLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SealingLeaseHolder",
                table: "Contracts",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SealingLeaseUntil",
                table: "Contracts",
                type: "timestamp with time zone",
                nullable: true);

            // A signed contract stays final, but for its sealing lease: the only columns of a Signed
            // contract that may change are SealingLeaseHolder and SealingLeaseUntil.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION "Contracts_refuse_signed_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF OLD."Status" = 'Signed' AND (TG_OP = 'DELETE' OR to_jsonb(NEW) - 'SealingLeaseHolder' - 'SealingLeaseUntil' IS DISTINCT FROM to_jsonb(OLD) - 'SealingLeaseHolder' - 'SealingLeaseUntil') THEN
                        RAISE EXCEPTION 'signed contracts are final';
                    END IF;
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END;
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION "Contracts_refuse_signed_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF OLD."Status" = 'Signed' AND (TG_OP = 'DELETE' OR TG_OP = 'UPDATE') THEN
                        RAISE EXCEPTION 'signed contracts are final';
                    END IF;
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END;
                $$;
                """);

            migrationBuilder.DropColumn(
                name: "SealingLeaseHolder",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "SealingLeaseUntil",
                table: "Contracts");
        }
    }
}
