using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DocumentsByContract : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Documents_ContractId",
                table: "Documents",
                column: "ContractId");

            // A document cannot be moved into a signed contract either.
            migrationBuilder.Sql("""DROP TRIGGER "Documents_signed_no_update";""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "Documents_signed_no_update" BEFORE UPDATE ON "Documents"
                WHEN (SELECT "Status" FROM "Contracts" WHERE "Id" = OLD."ContractId") = 'Signed'
                  OR (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") = 'Signed'
                BEGIN
                    SELECT RAISE(ABORT, 'documents of signed contracts are final');
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Documents_signed_no_update";""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "Documents_signed_no_update" BEFORE UPDATE ON "Documents"
                WHEN (SELECT "Status" FROM "Contracts" WHERE "Id" = OLD."ContractId") = 'Signed'
                BEGIN
                    SELECT RAISE(ABORT, 'documents of signed contracts are final');
                END;
                """);

            migrationBuilder.DropIndex(
                name: "IX_Documents_ContractId",
                table: "Documents");
        }
    }
}
