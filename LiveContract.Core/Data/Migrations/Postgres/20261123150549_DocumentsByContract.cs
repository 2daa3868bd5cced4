using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Postgres
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
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION "Documents_refuse_signed_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    contract_status text;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        SELECT "Status" INTO contract_status FROM "Contracts" WHERE "Id" = NEW."ContractId";
                        IF (NEW."Kind" = 'Sealed') <> (contract_status = 'Signed') THEN
                            RAISE EXCEPTION 'only a signed contract gets a sealed document, and it gets nothing else';
                        END IF;
                        RETURN NEW;
                    END IF;
                    SELECT "Status" INTO contract_status FROM "Contracts" WHERE "Id" = OLD."ContractId";
                    IF contract_status = 'Signed' THEN
                        RAISE EXCEPTION 'documents of signed contracts are final';
                    END IF;
                    IF TG_OP = 'UPDATE' AND (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") = 'Signed' THEN
                        RAISE EXCEPTION 'documents of signed contracts are final';
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
                CREATE OR REPLACE FUNCTION "Documents_refuse_signed_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    contract_status text;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        SELECT "Status" INTO contract_status FROM "Contracts" WHERE "Id" = NEW."ContractId";
                        IF (NEW."Kind" = 'Sealed') <> (contract_status = 'Signed') THEN
                            RAISE EXCEPTION 'only a signed contract gets a sealed document, and it gets nothing else';
                        END IF;
                        RETURN NEW;
                    END IF;
                    SELECT "Status" INTO contract_status FROM "Contracts" WHERE "Id" = OLD."ContractId";
                    IF contract_status = 'Signed' THEN
                        RAISE EXCEPTION 'documents of signed contracts are final';
                    END IF;
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END;
                $$;
                """);

            migrationBuilder.DropIndex(
                name: "IX_Documents_ContractId",
                table: "Documents");
        }
    }
}
