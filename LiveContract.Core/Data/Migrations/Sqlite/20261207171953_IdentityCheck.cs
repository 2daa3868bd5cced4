using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveContract.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdentityCheck : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "IdentityCheck",
                table: "Signatures",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AdvisorCheck_CheckedAt",
                table: "Contracts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AdvisorCheck_CheckedById",
                table: "Contracts",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AdvisorCheck_DocumentEnding",
                table: "Contracts",
                type: "TEXT",
                maxLength: 4,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AdvisorCheck_DocumentType",
                table: "Contracts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AdvisorCheck_Method",
                table: "Contracts",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CustomerPhone",
                table: "Contracts",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IdentityCheckOff",
                table: "Contracts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "IdentityCheckOffById",
                table: "Contracts",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IdentityCodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContractId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LinkId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Salt = table.Column<byte[]>(type: "BLOB", maxLength: 16, nullable: false),
                    CodeHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    DeviceCheckId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdentityCodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IdentityCodes_SessionLinks_LinkId",
                        column: x => x.LinkId,
                        principalTable: "SessionLinks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IdentityCodes_LinkId_CreatedAt",
                table: "IdentityCodes",
                columns: new[] { "LinkId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IdentityCodes");

            migrationBuilder.DropColumn(
                name: "IdentityCheck",
                table: "Signatures");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_CheckedAt",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_CheckedById",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_DocumentEnding",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_DocumentType",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "AdvisorCheck_Method",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "CustomerPhone",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "IdentityCheckOff",
                table: "Contracts");

            migrationBuilder.DropColumn(
                name: "IdentityCheckOffById",
                table: "Contracts");
        }
    }
}
