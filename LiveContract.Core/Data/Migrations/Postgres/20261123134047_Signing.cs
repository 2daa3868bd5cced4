using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Signing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Documents_ContractId",
                table: "Documents");

            migrationBuilder.CreateTable(
                name: "Signatures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ContractId = table.Column<Guid>(type: "uuid", nullable: false),
                    LiveSessionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SignerId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    FullName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SignerEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    Image = table.Column<byte[]>(type: "bytea", nullable: false),
                    ConsentSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    DocumentHashes = table.Column<string>(type: "text", nullable: false),
                    SignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IpAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Signatures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Signatures_Contracts_ContractId",
                        column: x => x.ContractId,
                        principalTable: "Contracts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Signatures_LiveSessions_LiveSessionId",
                        column: x => x.LiveSessionId,
                        principalTable: "LiveSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SigningKeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Thumbprint = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    NotAfter = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Certificate = table.Column<byte[]>(type: "bytea", nullable: false),
                    EncryptedPkcs12 = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SigningKeys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Documents_ContractId_Sealed",
                table: "Documents",
                column: "ContractId",
                unique: true,
                filter: "\"Kind\" = 'Sealed'");

            migrationBuilder.CreateIndex(
                name: "IX_Signatures_ContractId_Role",
                table: "Signatures",
                columns: new[] { "ContractId", "Role" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Signatures_LiveSessionId",
                table: "Signatures",
                column: "LiveSessionId");

            migrationBuilder.CreateIndex(
                name: "IX_SigningKeys_CreatedAt",
                table: "SigningKeys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SigningKeys_Thumbprint",
                table: "SigningKeys",
                column: "Thumbprint",
                unique: true);
        
            // A signed contract is final, enforced by the database whatever the code path: its row,
            // its documents and every signature can be neither changed nor deleted.
            migrationBuilder.Sql("""
                CREATE FUNCTION "Contracts_refuse_signed_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF OLD."Status" = 'Signed' THEN
                        RAISE EXCEPTION 'signed contracts are final';
                    END IF;
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Contracts_signed_final" BEFORE UPDATE OR DELETE ON "Contracts"
                FOR EACH ROW EXECUTE FUNCTION "Contracts_refuse_signed_change"();
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "Documents_refuse_signed_change"() RETURNS trigger LANGUAGE plpgsql AS $$
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
            migrationBuilder.Sql("""
                CREATE TRIGGER "Documents_signed_final" BEFORE INSERT OR UPDATE OR DELETE ON "Documents"
                FOR EACH ROW EXECUTE FUNCTION "Documents_refuse_signed_change"();
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "Signatures_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        IF (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") IS DISTINCT FROM 'Review' THEN
                            RAISE EXCEPTION 'contracts are signed only in review';
                        END IF;
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'signatures are final';
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Signatures_final" BEFORE INSERT OR UPDATE OR DELETE ON "Signatures"
                FOR EACH ROW EXECUTE FUNCTION "Signatures_refuse_change"();
                """);
            foreach (var table in new[] { "Contracts", "Documents", "Signatures" })
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}"
                    FOR EACH STATEMENT EXECUTE FUNCTION "AuditEvents_refuse_change"();
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "Contracts", "Documents", "Signatures" })
            {
                migrationBuilder.Sql($"""DROP TRIGGER "{table}_no_truncate" ON "{table}";""");
            }

            migrationBuilder.Sql("""DROP TRIGGER "Signatures_final" ON "Signatures";""");
            migrationBuilder.Sql("""DROP FUNCTION "Signatures_refuse_change"();""");
            migrationBuilder.Sql("""DROP TRIGGER "Documents_signed_final" ON "Documents";""");
            migrationBuilder.Sql("""DROP FUNCTION "Documents_refuse_signed_change"();""");
            migrationBuilder.Sql("""DROP TRIGGER "Contracts_signed_final" ON "Contracts";""");
            migrationBuilder.Sql("""DROP FUNCTION "Contracts_refuse_signed_change"();""");


            migrationBuilder.DropTable(
                name: "Signatures");

            migrationBuilder.DropTable(
                name: "SigningKeys");

            migrationBuilder.DropIndex(
                name: "IX_Documents_ContractId_Sealed",
                table: "Documents");

            migrationBuilder.CreateIndex(
                name: "IX_Documents_ContractId",
                table: "Documents",
                column: "ContractId");
        }
    }
}
