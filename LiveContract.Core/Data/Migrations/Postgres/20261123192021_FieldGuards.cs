using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Postgres
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
                CREATE FUNCTION "Fields_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        IF EXISTS (SELECT 1 FROM "Contracts" WHERE "Id" = OLD."ContractId" AND "Status" <> 'Draft') THEN
                            RAISE EXCEPTION 'fields change only while their contract is a draft';
                        END IF;
                        RETURN OLD;
                    END IF;
                    IF (TG_OP = 'UPDATE' AND (SELECT "Status" FROM "Contracts" WHERE "Id" = OLD."ContractId") IS DISTINCT FROM 'Draft')
                        OR (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") IS DISTINCT FROM 'Draft' THEN
                        RAISE EXCEPTION 'fields change only while their contract is a draft';
                    END IF;
                    RETURN NEW;
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Fields_draft_only" BEFORE INSERT OR UPDATE OR DELETE ON "Fields"
                FOR EACH ROW EXECUTE FUNCTION "Fields_refuse_change"();
                """);

            // Values are written only in review before anyone signs; deleting one is also allowed in
            // draft (its field is removed) and when the contract is gone (a cascade).
            migrationBuilder.Sql("""
                CREATE FUNCTION "FieldValues_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        IF EXISTS (
                            SELECT 1 FROM "Contracts" WHERE "Id" = OLD."ContractId" AND "Status" <> 'Draft'
                                AND ("Status" <> 'Review' OR EXISTS (SELECT 1 FROM "Signatures" WHERE "ContractId" = OLD."ContractId"))) THEN
                            RAISE EXCEPTION 'field values change only in review before anyone signs';
                        END IF;
                        RETURN OLD;
                    END IF;
                    IF (TG_OP = 'UPDATE' AND ((SELECT "Status" FROM "Contracts" WHERE "Id" = OLD."ContractId") IS DISTINCT FROM 'Review'
                            OR EXISTS (SELECT 1 FROM "Signatures" WHERE "ContractId" = OLD."ContractId")))
                        OR (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") IS DISTINCT FROM 'Review'
                        OR EXISTS (SELECT 1 FROM "Signatures" WHERE "ContractId" = NEW."ContractId") THEN
                        RAISE EXCEPTION 'field values change only in review before anyone signs';
                    END IF;
                    RETURN NEW;
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "FieldValues_review_only" BEFORE INSERT OR UPDATE OR DELETE ON "FieldValues"
                FOR EACH ROW EXECUTE FUNCTION "FieldValues_refuse_change"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "FieldValues_review_only" ON "FieldValues";""");
            migrationBuilder.Sql("""DROP FUNCTION "FieldValues_refuse_change"();""");
            migrationBuilder.Sql("""DROP TRIGGER "Fields_draft_only" ON "Fields";""");
            migrationBuilder.Sql("""DROP FUNCTION "Fields_refuse_change"();""");
        }
    }
}
