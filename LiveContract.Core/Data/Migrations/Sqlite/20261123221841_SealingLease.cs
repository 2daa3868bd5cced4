using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SealingLeaseUntil",
                table: "Contracts",
                type: "INTEGER",
                nullable: true);

            // A signed contract stays final, but for its sealing lease: the only columns of a Signed
            // contract that may change are SealingLeaseHolder and SealingLeaseUntil.
            migrationBuilder.Sql("""DROP TRIGGER "Contracts_signed_no_update";""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "Contracts_signed_no_update" BEFORE UPDATE ON "Contracts"
                WHEN OLD."Status" = 'Signed'
                    AND (NEW."Id" IS NOT OLD."Id" OR NEW."AdvisorId" IS NOT OLD."AdvisorId" OR NEW."AdvisorMustSign" IS NOT OLD."AdvisorMustSign" OR NEW."CreatedAt" IS NOT OLD."CreatedAt" OR NEW."CustomerId" IS NOT OLD."CustomerId" OR NEW."Reference" IS NOT OLD."Reference" OR NEW."ReviewStartedAt" IS NOT OLD."ReviewStartedAt" OR NEW."SignedAt" IS NOT OLD."SignedAt" OR NEW."Status" IS NOT OLD."Status" OR NEW."Title" IS NOT OLD."Title" OR NEW."UpdatedAt" IS NOT OLD."UpdatedAt" OR NEW."Version" IS NOT OLD."Version")
                BEGIN
                    SELECT RAISE(ABORT, 'signed contracts are final');
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Contracts_signed_no_update";""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "Contracts_signed_no_update" BEFORE UPDATE ON "Contracts"
                WHEN OLD."Status" = 'Signed'
                BEGIN
                    SELECT RAISE(ABORT, 'signed contracts are final');
                END;
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
