using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FieldGuards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Fields change only while their contract is a draft. A delete is also allowed when the
            // contract is gone: deleting a contract deletes its fields by cascade after its own row.
            migrationBuilder.Sql("""
                CREATE TRIGGER "Fields_draft_only_insert" BEFORE INSERT ON "Fields"
                WHEN (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") IS NOT 'Draft'
                BEGIN
                    SELECT RAISE(ABORT, 'fields change only while their contract is a draft');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Fields_draft_only_update" BEFORE UPDATE ON "Fields"
                WHEN (SELECT "Status" FROM "Contracts" WHERE "Id" = OLD."ContractId") IS NOT 'Draft'
                    OR (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") IS NOT 'Draft'
                BEGIN
                    SELECT RAISE(ABORT, 'fields change only while their contract is a draft');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Fields_draft_only_delete" BEFORE DELETE ON "Fields"
                WHEN EXISTS (SELECT 1 FROM "Contracts" WHERE "Id" = OLD."ContractId" AND "Status" <> 'Draft')
                BEGIN
                    SELECT RAISE(ABORT, 'fields change only while their contract is a draft');
                END;
                """);

            // Values are written only in review before anyone signs; deleting one is also allowed in
            // draft (its field is removed) and when the contract is gone (a cascade).
            migrationBuilder.Sql("""
                CREATE TRIGGER "FieldValues_review_only_insert" BEFORE INSERT ON "FieldValues"
                WHEN (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") IS NOT 'Review'
                    OR EXISTS (SELECT 1 FROM "Signatures" WHERE "ContractId" = NEW."ContractId")
                BEGIN
                    SELECT RAISE(ABORT, 'field values change only in review before anyone signs');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "FieldValues_review_only_update" BEFORE UPDATE ON "FieldValues"
                WHEN (SELECT "Status" FROM "Contracts" WHERE "Id" = OLD."ContractId") IS NOT 'Review'
                    OR (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") IS NOT 'Review'
                    OR EXISTS (SELECT 1 FROM "Signatures" WHERE "ContractId" IN (OLD."ContractId", NEW."ContractId"))
                BEGIN
                    SELECT RAISE(ABORT, 'field values change only in review before anyone signs');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "FieldValues_review_only_delete" BEFORE DELETE ON "FieldValues"
                WHEN EXISTS (
                    SELECT 1 FROM "Contracts" WHERE "Id" = OLD."ContractId" AND "Status" <> 'Draft'
                        AND ("Status" <> 'Review' OR EXISTS (SELECT 1 FROM "Signatures" WHERE "ContractId" = OLD."ContractId")))
                BEGIN
                    SELECT RAISE(ABORT, 'field values change only in review before anyone signs');
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[]
                     {
                         "FieldValues_review_only_delete", "FieldValues_review_only_update", "FieldValues_review_only_insert",
                         "Fields_draft_only_delete", "Fields_draft_only_update", "Fields_draft_only_insert",
                     })
            {
                migrationBuilder.Sql($"""DROP TRIGGER "{trigger}";""");
            }
        }
    }
}
