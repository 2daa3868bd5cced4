using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContractId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LiveSessionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SignerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    FullName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SignerEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Image = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ConsentSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    DocumentHashes = table.Column<string>(type: "TEXT", nullable: false),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    IpAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Thumbprint = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    NotAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    Certificate = table.Column<byte[]>(type: "BLOB", nullable: false),
                    EncryptedPkcs12 = table.Column<byte[]>(type: "BLOB", nullable: false)
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
                CREATE TRIGGER "Contracts_signed_no_update" BEFORE UPDATE ON "Contracts"
                WHEN OLD."Status" = 'Signed'
                BEGIN
                    SELECT RAISE(ABORT, 'signed contracts are final');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Contracts_signed_no_delete" BEFORE DELETE ON "Contracts"
                WHEN OLD."Status" = 'Signed'
                BEGIN
                    SELECT RAISE(ABORT, 'signed contracts are final');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Documents_signed_no_update" BEFORE UPDATE ON "Documents"
                WHEN (SELECT "Status" FROM "Contracts" WHERE "Id" = OLD."ContractId") = 'Signed'
                BEGIN
                    SELECT RAISE(ABORT, 'documents of signed contracts are final');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Documents_signed_no_delete" BEFORE DELETE ON "Documents"
                WHEN (SELECT "Status" FROM "Contracts" WHERE "Id" = OLD."ContractId") = 'Signed'
                BEGIN
                    SELECT RAISE(ABORT, 'documents of signed contracts are final');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Documents_signed_only_sealed_insert" BEFORE INSERT ON "Documents"
                WHEN (NEW."Kind" = 'Sealed') <> ((SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") = 'Signed')
                BEGIN
                    SELECT RAISE(ABORT, 'only a signed contract gets a sealed document, and it gets nothing else');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Signatures_no_update" BEFORE UPDATE ON "Signatures"
                BEGIN
                    SELECT RAISE(ABORT, 'signatures are final');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Signatures_no_delete" BEFORE DELETE ON "Signatures"
                BEGIN
                    SELECT RAISE(ABORT, 'signatures are final');
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Signatures_only_in_review" BEFORE INSERT ON "Signatures"
                WHEN (SELECT "Status" FROM "Contracts" WHERE "Id" = NEW."ContractId") IS NOT 'Review'
                BEGIN
                    SELECT RAISE(ABORT, 'contracts are signed only in review');
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[]
                     {
                         "Signatures_only_in_review", "Signatures_no_delete", "Signatures_no_update", "Documents_signed_only_sealed_insert",
                         "Documents_signed_no_delete", "Documents_signed_no_update", "Contracts_signed_no_delete", "Contracts_signed_no_update",
                     })
            {
                migrationBuilder.Sql($"""DROP TRIGGER "{trigger}";""");
            }


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
